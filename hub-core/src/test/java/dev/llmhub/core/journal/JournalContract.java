package dev.llmhub.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every journal promises its readers, checked once: start positions, out-of-order
 * acknowledgements committing only the contiguous prefix, a poll waiting for the next append and
 * ending when the journal closes, one reader per cursor name. Each journal's test class implements it
 * (an interface, so the local journal's tests keep their fixture as superclass) and says how to open
 * an empty journal; what only that journal does stays in its own tests.
 */
interface JournalContract {
    /** Longest wait for entries to come (the Kafka journal's readers fetch in the background). */
    Duration ENTRIES_WAIT = Duration.ofSeconds(60);

    /**
     * @param what       what the test is about (the Kafka journal names its topic after it)
     * @param partitions how many partitions, where the journal has them (order holds within one)
     * @return a new, empty journal of strings, each its own key
     */
    Journal<String> emptyJournal(String what, int partitions) throws Exception;

    /** @return whether {@link JournalReader.Lag#bytes()} is the entries' encoded size, not an estimate */
    default boolean lagBytesAreExact() {
        return true;
    }

    /** Checks that the journal keeps {@code cursor}'s committed offset where other processes find it; by default nothing to check. */
    default void committedIsKept(String cursor, long offset) throws Exception {
    }

    /** Appends every value, then waits for each to be acknowledged. */
    static void appendAll(Journal<String> j, List<String> values) throws InterruptedException {
        List<Append> appends = new ArrayList<>();
        for (String v : values) {
            appends.add(j.append(v));
        }
        for (Append a : appends) {
            assertTrue(a.await(ENTRIES_WAIT), "acknowledged");
        }
    }

    static List<String> range(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    static List<String> values(List<Entry<String>> entries) {
        return entries.stream().map(Entry::value).toList();
    }

    /** Polls until {@code n} entries came (acknowledging them when asked). */
    static List<Entry<String>> take(JournalReader<String> r, int n, boolean ack) throws InterruptedException {
        List<Entry<String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + ENTRIES_WAIT.toNanos();
        while (out.size() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + out.size() + " of " + n + " entries came");
            List<Entry<String>> got = r.poll(n - out.size(), 1 << 20, Duration.ofMillis(200));
            if (ack) {
                r.ack(got);
            }
            out.addAll(got);
        }
        return out;
    }

    @Test
    default void aNewCursorStartsAtTheHeadOrAtTheEarliestEntry() throws Exception {
        try (Journal<String> j = emptyJournal("start", 3)) {
            appendAll(j, List.of("a", "b"));
            JournalReader<String> head = j.open("new-es", StartFrom.HEAD);
            JournalReader<String> earliest = j.open("backfill", StartFrom.EARLIEST);
            appendAll(j, List.of("c"));
            assertEquals(List.of("c"), values(take(head, 1, true)));
            assertEquals(Set.of("a", "b", "c"), Set.copyOf(values(take(earliest, 3, true))));
            assertTrue(head.poll(10, 1000, Duration.ofMillis(300)).isEmpty(), "nothing more at the head");
        }
    }

    @Test
    default void outOfOrderAcksCommitOnlyTheContiguousPrefix() throws Exception {
        try (Journal<String> j = emptyJournal("acks", 1)) {
            appendAll(j, range("v", 0, 9));
            JournalReader<String> r = j.open("lane", StartFrom.EARLIEST);
            List<Entry<String>> b1 = take(r, 3, false);
            List<Entry<String>> b2 = take(r, 3, false);
            List<Entry<String>> b3 = take(r, 3, false);
            assertEquals(9, r.position());
            r.ack(b3);
            assertEquals(0, r.committed());
            r.ack(b1);
            assertEquals(3, r.committed());
            JournalReader.Lag lag = r.lag();
            assertEquals(6, lag.entries());
            if (lagBytesAreExact()) {
                assertEquals(b2.stream().mapToLong(Entry::encodedSize).sum() + b3.stream().mapToLong(Entry::encodedSize).sum(),
                        lag.bytes());
            }
            assertEquals(Instant.ofEpochMilli(b2.get(0).timestampMillis()), lag.oldestTimestamp().orElseThrow());
            committedIsKept("lane", 3);
            r.ack(b2);
            assertEquals(9, r.committed());
            assertEquals(0, r.lag().entries());
        }
    }

    @Test
    default void pollWaitsForTheNextAppendAndReturnsEmptyWhenTheJournalCloses() throws Exception {
        Journal<String> j = emptyJournal("wait", 1);
        JournalReader<String> r = j.open("lane", StartFrom.HEAD);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<Entry<String>>> waiting = ex.submit(() -> r.poll(10, 1000, ENTRIES_WAIT));
            appendAll(j, List.of("late"));
            assertEquals(List.of("late"), values(waiting.get()));
            r.ack(List.of());
            Future<List<Entry<String>>> atClose = ex.submit(() -> r.poll(10, 1000, ENTRIES_WAIT));
            j.close();
            assertEquals(List.of(), atClose.get());
        }
        assertThrows(JournalClosedException.class, () -> j.append("x"));
    }

    @Test
    default void aSecondReaderOfTheSameNameIsRefusedAndAnOpenCursorCannotBeDeleted() throws Exception {
        try (Journal<String> j = emptyJournal("twice", 1)) {
            j.open("es", StartFrom.HEAD);
            assertThrows(IllegalStateException.class, () -> j.open("es", StartFrom.HEAD));
            assertThrows(IllegalStateException.class, () -> j.deleteCursor("es"));
        }
    }
}
