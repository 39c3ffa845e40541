package dev.llmhub.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Crash consistency: torn tails are cut, corrupt entries skipped and counted, never fatal. */
class LocalJournalRecoveryTest extends LocalJournalFixture {
    LocalJournal.Options<String> options() {
        return fixtureOptions().withSegmentBytes(1024).withTailCacheBytes(0);
    }

    /** Opens the journal with the cursor "lane" at the earliest entry: it holds every segment back from retention. */
    LocalJournal<String> openWithLane() {
        LocalJournal<String> j = LocalJournal.open(options());
        j.open("lane", StartFrom.EARLIEST).close();
        return j;
    }

    LocalJournal<String> crashedWith(int entries) throws Exception {
        LocalJournal<String> j = openWithLane();
        LocalJournalTest.appendAll(j, LocalJournalTest.range("value-", 0, entries));
        j.simulateCrash();
        return j;
    }

    /** Reads everything from the start; returns the values. */
    static List<String> readAll(JournalReader<String> r) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (List<Entry<String>> b = r.poll(1000, 1 << 20, Duration.ZERO); !b.isEmpty(); b = r.poll(1000, 1 << 20, Duration.ZERO)) {
            out.addAll(JournalContract.values(b));
            r.ack(b);
        }
        return out;
    }

    static List<String> without(int entries, int... missing) {
        List<String> out = new ArrayList<>(List.of(LocalJournalTest.range("value-", 0, entries)));
        for (int i = missing.length - 1; i >= 0; i--) {
            out.remove(missing[i]);
        }
        return out;
    }

    @Test
    void aTornTailIsCutAtTheLastIntactEntryAndItsOffsetIsNotReused() throws Exception {
        crashedWith(100);
        Path last = SegmentFiles.segments(dir).getLast();
        SegmentFiles.Framed tail = SegmentFiles.frames(last).getLast();
        assertEquals(99, tail.offset());
        SegmentFiles.truncate(last, tail.position() + Frame.HEADER + 3); // the header and 3 bytes made it
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            assertEquals(1, observer.truncated.get());
            assertEquals(Frame.HEADER + 3, observer.truncatedBytes.get());
            assertEquals(tail.position(), Files.size(last));
            assertEquals(without(100, 99), readAll(j.open("lane", StartFrom.EARLIEST)));
            assertEquals(100, j.append("next").offset());
        }
    }

    @Test
    void aTailCutInsideAHeaderIsCutToo() throws Exception {
        crashedWith(30);
        Path last = SegmentFiles.segments(dir).getLast();
        SegmentFiles.Framed tail = SegmentFiles.frames(last).getLast();
        SegmentFiles.truncate(last, tail.position() + 5);
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            assertEquals(1, observer.truncated.get());
            assertEquals(without(30, 29), readAll(j.open("lane", StartFrom.EARLIEST)));
        }
    }

    @Test
    void aFlippedByteInTheLastSegmentIsSkippedAtRecoveryAndCounted() throws Exception {
        crashedWith(100);
        List<SegmentFiles.Framed> frames = SegmentFiles.frames(SegmentFiles.segments(dir).getLast());
        SegmentFiles.Framed victim = frames.get(frames.size() / 2);
        SegmentFiles.flipByte(victim.file(), victim.position() + Frame.HEADER + 2); // in the payload
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            assertEquals(1, observer.corrupt.get(), "reported once, at recovery");
            JournalReader<String> r = j.open("lane", StartFrom.EARLIEST);
            assertEquals(without(100, (int) victim.offset()), readAll(r));
            assertEquals(1, r.takeCorrupt());
            assertEquals(0, r.takeCorrupt());
            assertEquals(1, observer.corrupt.get(), "a reader passing it does not report it again");
        }
    }

    @Test
    void aFlippedByteInASealedSegmentIsFoundWhenReadAndEveryOtherEntryIsRecovered() throws Exception {
        try (LocalJournal<String> j = openWithLane()) {
            LocalJournalTest.appendAll(j, LocalJournalTest.range("value-", 0, 100));
        }
        List<Path> segments = SegmentFiles.segments(dir);
        assertTrue(segments.size() >= 3);
        // one flip in a payload, one in a length field, one in a magic: three entries in two sealed segments
        List<SegmentFiles.Framed> first = SegmentFiles.frames(segments.get(0));
        List<SegmentFiles.Framed> second = SegmentFiles.frames(segments.get(1));
        SegmentFiles.Framed a = first.get(3);
        SegmentFiles.Framed b = first.get(first.size() - 1);
        SegmentFiles.Framed c = second.get(0);
        SegmentFiles.flipByte(a.file(), a.position() + a.size() - 1);
        SegmentFiles.flipByte(b.file(), b.position() + 5);
        SegmentFiles.flipByte(c.file(), c.position());
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            assertEquals(0, observer.corrupt.get(), "sealed segments are trusted at open, checked when read");
            JournalReader<String> r = j.open("lane", StartFrom.EARLIEST);
            assertEquals(without(100, (int) a.offset(), (int) b.offset(), (int) c.offset()), readAll(r));
            assertEquals(3, r.takeCorrupt());
            assertEquals(3, observer.corrupt.get());
            assertEquals(List.of("value-2", "value-4"), JournalContract.values(j.read(a.offset() - 1, 2, 1 << 20)));
        }
    }

    @Test
    void aWholeSegmentOfGarbageIsSkippedAndTheRestIsRead() throws Exception {
        try (LocalJournal<String> j = openWithLane()) {
            LocalJournalTest.appendAll(j, LocalJournalTest.range("value-", 0, 100));
        }
        Path second = SegmentFiles.segments(dir).get(1);
        List<SegmentFiles.Framed> frames = SegmentFiles.frames(second);
        Files.write(second, new byte[(int) Files.size(second)]); // zeroed, same size: the index still matches
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            JournalReader<String> r = j.open("lane", StartFrom.EARLIEST);
            int[] missing = frames.stream().mapToInt(f -> (int) f.offset()).toArray();
            assertEquals(without(100, missing), readAll(r));
            assertEquals(frames.size(), r.takeCorrupt());
        }
    }

    @Test
    void aCleanCloseIsTrustedAndACrashScansOnlyTheLastSegment() throws Exception {
        try (LocalJournal<String> j = openWithLane()) {
            LocalJournalTest.appendAll(j, LocalJournalTest.range("value-", 0, 100));
        }
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            assertEquals(0, j.recovery().scanned());
            LocalJournalTest.appendAll(j, "more");
            j.simulateCrash();
        }
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            assertEquals(1, j.recovery().scanned());
            assertEquals(101, readAll(j.open("lane", StartFrom.EARLIEST)).size());
        }
    }

    @Test
    void aCrashLosesNoAcknowledgedAppendAndCursorsResumeAtOrBeforeTheirCommit() throws Exception {
        LocalJournal<String> j = LocalJournal.open(options());
        JournalReader<String> r = j.open("lane", StartFrom.EARLIEST);
        LocalJournalTest.appendAll(j, LocalJournalTest.range("value-", 0, 50));
        r.ack(r.poll(20, 1 << 20, WAIT));
        j.simulateCrash();
        try (LocalJournal<String> again = LocalJournal.open(options())) {
            JournalReader<String> resumed = again.open("lane", StartFrom.HEAD);
            assertTrue(resumed.committed() <= 20, "committed is persisted lazily, never ahead of the acks");
            List<String> rest = readAll(resumed);
            assertEquals(List.of(LocalJournalTest.range("value-", (int) (50 - rest.size()), 50)), rest);
        }
    }

    @Test
    void aDamagedCursorFileRestartsTheCursorAtTheOldestEntry() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            LocalJournalTest.appendAll(j, "a", "b", "c");
            JournalReader<String> r = j.open("es", StartFrom.EARLIEST);
            r.ack(r.poll(3, 1000, WAIT));
        }
        Path cursor = dir.resolve("cursors").resolve("es.cursor");
        SegmentFiles.flipByte(cursor, 6);
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            assertEquals(List.of("a", "b", "c"), readAll(j.open("es", StartFrom.HEAD)));
        }
    }
}
