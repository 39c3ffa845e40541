package dev.llmhub.core.journal;

import static dev.llmhub.core.journal.JournalContract.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory journal keeps the contract within a byte budget and counts what it evicts. */
class MemoryJournalTest implements JournalContract {
    private static final Duration WAIT = Duration.ofSeconds(30);
    final TestClock clock = new TestClock(Instant.parse("2026-11-30T10:00:00Z"));
    final RecordingObserver observer = new RecordingObserver();

    /** Encoding is not allowed: the memory journal must never call it. */
    static final class EstimateOnly implements JournalCodec<String> {
        @Override
        public byte[] encode(String value) {
            throw new AssertionError("the memory journal encoded a value");
        }

        @Override
        public String decode(byte[] bytes) {
            throw new AssertionError("the memory journal decoded a value");
        }

        @Override
        public long estimateSize(String value) {
            return value.length();
        }
    }

    MemoryJournal<String> journal(long budget) {
        return new MemoryJournal<>(budget, new EstimateOnly(), observer, clock);
    }

    @Override
    public Journal<String> emptyJournal(String what, int partitions) {
        return journal(1 << 20);
    }

    @Test
    void appendsCompleteAtOnceAndAreReadAckedAndSeeked() throws Exception {
        try (MemoryJournal<String> j = journal(1000)) {
            JournalReader<String> head = j.open("head", StartFrom.HEAD);
            Append a = j.append("aa");
            assertTrue(a.isDone());
            assertTrue(a.await(Duration.ZERO));
            assertEquals(0, a.offset());
            clock.advance(Duration.ofSeconds(1));
            j.append("bbb");
            JournalReader<String> earliest = j.open("earliest", StartFrom.EARLIEST);
            List<Entry<String>> b1 = earliest.poll(1, 100, WAIT);
            List<Entry<String>> b2 = earliest.poll(1, 100, WAIT);
            earliest.ack(b2);
            assertEquals(0, earliest.committed());
            assertEquals(new JournalReader.Lag(2, 5, java.util.Optional.of(clock.instant().minusSeconds(1))), earliest.lag());
            earliest.ack(b1);
            assertEquals(2, earliest.committed());
            assertEquals(List.of("aa", "bbb"), values(head.poll(10, 100, WAIT)));
            assertEquals(1, j.offsetAt(clock.instant()));
            earliest.seek(1);
            assertEquals(List.of("bbb"), values(earliest.poll(10, 100, WAIT)));
            assertEquals(List.of("aa"), values(j.read(0, 1, 100)));
            assertEquals(new JournalStats("memory", "memory", 5, 1, 0, 2, java.util.Optional.of(clock.instant().minusSeconds(1)), 2, 0),
                    j.stats());
        }
    }

    @Test
    void overBudgetTheOldestEntriesGoCountedPerCursor() throws Exception {
        try (MemoryJournal<String> j = journal(10 * 10)) {
            JournalReader<String> fast = j.open("fast", StartFrom.EARLIEST);
            JournalReader<String> slow = j.open("slow", StartFrom.EARLIEST);
            JournalReader<String> gone = j.open("gone", StartFrom.EARLIEST);
            for (int i = 0; i < 25; i++) {
                j.append(String.format("%-10s", i)); // 10 bytes each: 10 fit
                fast.ack(fast.poll(10, 1000, WAIT));
                if (i == 2) {
                    gone.ack(gone.poll(3, 1000, WAIT));
                    gone.close();
                }
            }
            assertEquals(15, j.stats().oldestOffset());
            assertEquals(new JournalReader.Dropped(15, "memory journal budget 100 bytes reached"), slow.takeDropped());
            assertEquals(15, slow.poll(1, 1000, WAIT).getFirst().offset());
            assertEquals(JournalReader.Dropped.NONE, fast.takeDropped());
            assertEquals(12, observer.droppedFor("gone"));
            JournalReader<String> back = j.open("gone", StartFrom.HEAD);
            assertEquals(new JournalReader.Dropped(12, "memory journal budget 100 bytes reached"), back.takeDropped());
            assertEquals(15, back.committed());
        }
    }
}
