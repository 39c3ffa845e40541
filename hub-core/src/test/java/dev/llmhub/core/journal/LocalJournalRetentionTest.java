package dev.llmhub.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retention by size and by age: whole segments go, and every entry a cursor had not read is counted
 * as dropped for it, with the reason. Entries are 100 bytes (128 framed): ten fill a 1280-byte segment.
 */
class LocalJournalRetentionTest extends LocalJournalFixture {
    private static final int SEGMENT = 10 * Frame.size(100);

    LocalJournal.Options<String> options() {
        return fixtureOptions().withSegmentBytes(SEGMENT).withMaxDiskBytes(8L * SEGMENT).withTailCacheBytes(0);
    }

    static String value(int i) {
        return String.format("%-100s", "v" + i);
    }

    @Test
    void deliveredSegmentsStayForBackfillAndGoWithoutDropsWhenTheCapNeedsRoom() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options().withMaxDiskBytes(6L * SEGMENT))) {
            JournalReader<String> a = j.open("a", StartFrom.EARLIEST);
            for (int i = 0; i < 35; i++) {
                assertTrue(j.append(value(i)).await(WAIT)); // segments 0-9, 10-19, 20-29 and 30-34
            }
            a.ack(a.poll(100, 1 << 20, WAIT));
            j.maintain();
            assertEquals(0, j.stats().oldestOffset(), "read segments stay: a new cursor can still backfill them");
            assertEquals(0, j.open("backfill", StartFrom.EARLIEST).committed(), "everything is still held");
            for (int i = 35; i < 80; i++) {
                assertTrue(j.append(value(i)).await(WAIT));
            }
            a.ack(a.poll(100, 1 << 20, WAIT));
            j.maintain();
            assertTrue(j.stats().oldestOffset() > 0, "the cap made room by deleting the oldest segments");
            assertEquals(JournalReader.Dropped.NONE, a.takeDropped(), "a had read them: nothing lost for a");
        }
    }

    @Test
    void overMaxDiskTheOldestSegmentsGoAndCursorsBehindCountWhatTheyLost() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            JournalReader<String> fast = j.open("fast", StartFrom.EARLIEST);
            JournalReader<String> slow = j.open("slow", StartFrom.EARLIEST);
            JournalReader<String> inflight = j.open("inflight", StartFrom.EARLIEST);
            JournalReader<String> gone = j.open("gone", StartFrom.EARLIEST);
            List<Entry<String>> held = null;
            for (int i = 0; i < 100; i++) {
                assertTrue(j.append(value(i)).await(WAIT));
                fast.ack(fast.poll(100, 1 << 20, WAIT));
                if (i == 4) {
                    gone.ack(gone.poll(5, 1 << 20, WAIT));
                    gone.close(); // a removed destination: its cursor is kept at offset 5
                    held = inflight.poll(5, 1 << 20, WAIT); // being exported while the segment goes
                }
            }
            j.maintain();
            // 100 entries = segments 0..9, the last one full: 8 x 1280 bytes fit, so segments 0 and 1 went.
            JournalStats stats = j.stats();
            assertEquals(8, stats.segments());
            assertEquals(8L * SEGMENT, stats.sizeBytes());
            assertEquals(20, stats.oldestOffset());
            assertEquals(new JournalReader.Dropped(20, "max_disk 10 KiB reached"), slow.takeDropped());
            assertEquals(JournalReader.Dropped.NONE, slow.takeDropped());
            assertEquals(20, slow.poll(1, 1 << 20, WAIT).getFirst().offset());
            assertEquals(JournalReader.Dropped.NONE, fast.takeDropped());
            assertEquals(new JournalReader.Dropped(15, "max_disk 10 KiB reached"), inflight.takeDropped(),
                    "the 5 entries being exported are not lost");
            assertEquals(0, inflight.committed());
            inflight.ack(held);
            assertEquals(20, inflight.committed());
            assertEquals(20, observer.droppedFor("slow"));
            assertEquals(0, observer.droppedFor("fast"));
            assertEquals(15, observer.droppedFor("inflight"));
            assertEquals(15, observer.droppedFor("gone"));
            assertTrue(observer.lastDropReason.contains("max_disk"));
        }
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            JournalReader<String> gone = j.open("gone", StartFrom.HEAD);
            assertEquals(new JournalReader.Dropped(15, "max_disk 10 KiB reached"), gone.takeDropped(),
                    "drops of a closed cursor are kept until it is opened again");
            assertEquals(20, gone.committed());
        }
    }

    @Test
    void segmentsOlderThanMaxAgeGoAndAnIdleJournalEmptiesCompletely() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options().withMaxDiskBytes(1L << 30).withMaxAge(Duration.ofHours(1)))) {
            JournalReader<String> slow = j.open("slow", StartFrom.EARLIEST);
            for (int batch = 0; batch < 3; batch++) {
                for (int i = 0; i < 10; i++) {
                    assertTrue(j.append(value(batch * 10 + i)).await(WAIT));
                }
                clock.advance(Duration.ofMinutes(30));
            }
            // now = t0 + 90 min: segment 0 (appended at t0) is older than 1 h, segment 1 (t0 + 30 min) is not
            j.maintain();
            assertEquals(new JournalReader.Dropped(10, "max_age 1h reached"), slow.takeDropped());
            assertEquals(10, j.stats().oldestOffset());
            assertEquals(10, slow.poll(1, 1 << 20, WAIT).getFirst().offset());

            clock.advance(Duration.ofHours(2));
            j.maintain();
            assertEquals(new JournalReader.Dropped(19, "max_age 1h reached"), slow.takeDropped(),
                    "the 19 unread entries, including the idle active segment's");
            JournalStats empty = j.stats();
            assertEquals(0, empty.segments());
            assertEquals(30, empty.oldestOffset());
            assertEquals(30, empty.headOffset());
            assertTrue(j.append("after").await(WAIT));
            assertEquals(List.of("after"), JournalContract.values(slow.poll(10, 1 << 20, WAIT)));
        }
    }

    @Test
    void aCursorUnusedForLongerThanMaxAgeIsDeleted() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options().withMaxAge(Duration.ofHours(1)))) {
            j.open("removed-destination", StartFrom.HEAD).close();
            JournalReader<String> active = j.open("active", StartFrom.HEAD);
            clock.advance(Duration.ofMinutes(59));
            j.maintain();
            assertEquals(2, j.cursors().size());
            clock.advance(Duration.ofMinutes(2));
            j.maintain();
            assertEquals(List.of("active"), j.cursors().stream().map(CursorInfo::name).toList(),
                    "an open cursor is in use whatever its age");
            assertFalse(Files.exists(dir.resolve("cursors").resolve("removed-destination.cursor")));
            active.close();
        }
    }
}
