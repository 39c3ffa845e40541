package dev.llmhub.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.core.journal.Entry;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The per-offset outcome history a lane keeps for the console: lookups, retries, replays, bounds. */
class OutcomeLogTest {

    private static List<Entry<String>> entries(long... offsets) {
        return LongStream.of(offsets).mapToObj(o -> new Entry<>(o, 0, 1, "r" + o)).toList();
    }

    private static List<Entry<String>> range(long from, long to) {
        return LongStream.range(from, to).mapToObj(o -> new Entry<>(o, 0, 1, "r" + o)).toList();
    }

    @Test
    void answersDeliveredFailedPendingAndOlderThanKnown() {
        OutcomeLog log = new OutcomeLog(100, false, 1_000);
        log.ended(range(100, 110), OutcomeLog.Kind.DELIVERED, null, 5_000);
        log.ended(entries(110, 112), OutcomeLog.Kind.FAILED, "rejected permanently: mapping conflict", 6_000);
        log.ended(entries(111), OutcomeLog.Kind.DELIVERED, null, 6_000);

        OutcomeLog.Ended d = assertInstanceOf(OutcomeLog.Ended.class, log.find(105, 113));
        assertEquals(OutcomeLog.Kind.DELIVERED, d.range().kind());
        assertEquals(5_000, d.range().timeMillis());
        OutcomeLog.Ended f = assertInstanceOf(OutcomeLog.Ended.class, log.find(110, 113));
        assertEquals(OutcomeLog.Kind.FAILED, f.range().kind());
        assertEquals("rejected permanently: mapping conflict", f.range().reason());
        assertEquals(OutcomeLog.Kind.DELIVERED, assertInstanceOf(OutcomeLog.Ended.class, log.find(111, 113)).range().kind());
        assertEquals(OutcomeLog.Kind.FAILED, assertInstanceOf(OutcomeLog.Ended.class, log.find(112, 113)).range().kind());
        assertInstanceOf(OutcomeLog.Pending.class, log.find(113, 113));
        // acknowledged out of order: delivered although the committed position is behind it
        assertInstanceOf(OutcomeLog.Ended.class, log.find(105, 100));
        // before this process: the cursor had passed it when the lane started (a resumed cursor)
        OutcomeLog.Passed p = assertInstanceOf(OutcomeLog.Passed.class, log.find(50, 113));
        assertEquals(1_000, p.horizonMillis());
    }

    @Test
    void aNewCursorNeverMeantOlderRecords() {
        OutcomeLog log = new OutcomeLog(100, true, 1_000);
        assertEquals(1_000, assertInstanceOf(OutcomeLog.Before.class, log.find(99, 100)).startMillis());
        assertInstanceOf(OutcomeLog.Pending.class, log.find(100, 100));
    }

    @Test
    void aRetriedBatchShowsItsLastReasonAndAttemptsUntilDone() {
        OutcomeLog log = new OutcomeLog(0, false, 0);
        Object worker = new Object();
        log.retrying(worker, entries(3, 4, 7), "connection refused", 1_000, 1_500);
        log.retrying(worker, entries(3, 4, 7), "connection reset", 2_000, 3_000);
        OutcomeLog.Retrying r = assertInstanceOf(OutcomeLog.Retrying.class, log.find(7, 3));
        assertEquals("connection reset", r.retry().reason());
        assertEquals(2, r.retry().attempts());
        assertEquals(1_000, r.retry().sinceMillis());
        assertEquals(3_000, r.retry().nextMillis());
        assertInstanceOf(OutcomeLog.Pending.class, log.find(5, 3)); // not in the batch
        log.ended(entries(3, 4, 7), OutcomeLog.Kind.DELIVERED, null, 4_000);
        log.retryDone(worker);
        assertInstanceOf(OutcomeLog.Ended.class, log.find(7, 8));
    }

    @Test
    void aReplayMakesOffsetsPendingAgainAndTheirNewOutcomeReplacesTheOld() {
        OutcomeLog log = new OutcomeLog(0, false, 0);
        log.ended(range(0, 20), OutcomeLog.Kind.FAILED, "bad", 1_000);
        log.seek(10);
        assertInstanceOf(OutcomeLog.Ended.class, log.find(9, 10));
        assertInstanceOf(OutcomeLog.Pending.class, log.find(10, 10));
        log.ended(range(5, 15), OutcomeLog.Kind.DELIVERED, null, 9_000);
        assertEquals("bad", assertInstanceOf(OutcomeLog.Ended.class, log.find(4, 20)).range().reason());
        OutcomeLog.Ended again = assertInstanceOf(OutcomeLog.Ended.class, log.find(5, 20));
        assertEquals(OutcomeLog.Kind.DELIVERED, again.range().kind());
        assertEquals(9_000, again.range().timeMillis());
        assertInstanceOf(OutcomeLog.Ended.class, log.find(14, 20));
        assertInstanceOf(OutcomeLog.Pending.class, log.find(15, 15));
        // an outcome in the middle of a known range splits it
        log.ended(entries(8), OutcomeLog.Kind.FAILED, "mapping", 9_500);
        assertEquals(OutcomeLog.Kind.DELIVERED, assertInstanceOf(OutcomeLog.Ended.class, log.find(7, 20)).range().kind());
        assertEquals("mapping", assertInstanceOf(OutcomeLog.Ended.class, log.find(8, 20)).range().reason());
        assertEquals(OutcomeLog.Kind.DELIVERED, assertInstanceOf(OutcomeLog.Ended.class, log.find(9, 20)).range().kind());
    }

    @Test
    void consecutiveBatchesMergeAndTheHistoryStaysBounded() {
        OutcomeLog log = new OutcomeLog(0, false, 0);
        for (long o = 0; o < 100_000; o += 100) {
            log.ended(range(o, o + 100), OutcomeLog.Kind.DELIVERED, null, 1_000 + o / 100); // within a second
        }
        assertEquals(1, log.size(), "one merged range");

        OutcomeLog bounded = new OutcomeLog(0, false, 0);
        long offset = 0;
        for (int i = 0; i < OutcomeLog.MAX_RANGES * 3; i++) {
            // every other offset: nothing merges
            bounded.ended(entries(offset), OutcomeLog.Kind.DELIVERED, null, 10_000L * i);
            offset += 2;
        }
        assertEquals(OutcomeLog.MAX_RANGES, bounded.size());
        OutcomeLog.Passed p = assertInstanceOf(OutcomeLog.Passed.class, bounded.find(0, offset));
        assertTrue(p.horizonMillis() > 0, "the horizon moved to the forgotten outcomes' time");
        assertInstanceOf(OutcomeLog.Ended.class, bounded.find(offset - 2, offset));
    }

    @Test
    void longReasonsAreShortened() {
        OutcomeLog log = new OutcomeLog(0, false, 0);
        log.ended(entries(0), OutcomeLog.Kind.FAILED, "x".repeat(5_000), 1);
        assertEquals(OutcomeLog.MAX_REASON, assertInstanceOf(OutcomeLog.Ended.class, log.find(0, 1)).range().reason().length());
    }
}
