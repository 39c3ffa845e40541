package dev.llmhub.core.delivery;

import dev.llmhub.core.journal.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one lane did with each journal offset, so the console can answer "did this call reach that
 * destination, and if not, why?": delivered at T, given up with the reason, or in a batch that is being
 * retried (with the last reason). Offsets are kept as ranges of consecutive offsets with the same
 * outcome (one batch is usually one range), newest outcome winning.
 *
 * <p>Bounded: at most {@link #MAX_RANGES} ranges (a few hundred KiB at worst); the lowest offsets are
 * forgotten first. For an offset older than what is kept the answer comes from the cursor: below the
 * committed position means delivered (time no longer known), unless the lane's cursor was created
 * after the record (then it was never meant for this lane).
 */
final class OutcomeLog {
    /** Most ranges kept per lane. */
    static final int MAX_RANGES = 2048;
    /** Longest reason kept (error messages can be long; this is a summary for a person). */
    static final int MAX_REASON = 300;
    /** Batches with the same outcome this close together merge into one range. */
    private static final long MERGE_WITHIN_MILLIS = 1000;

    /** A final outcome. */
    enum Kind { DELIVERED, FAILED }

    /** Consecutive offsets {@code [from, to)} that ended the same way at about the same time. */
    record Range(long from, long to, Kind kind, long timeMillis, String reason) {
    }

    /** A batch waiting to be tried again. */
    record Retry(List<long[]> runs, String reason, long sinceMillis, int attempts, long nextMillis) {
        boolean covers(long offset) {
            for (long[] r : runs) {
                if (offset >= r[0] && offset < r[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** What is known about one offset. */
    sealed interface Known permits Ended, Retrying, Pending, Passed, Before {
    }

    /** @param range the outcome that covers the offset */
    record Ended(Range range) implements Known {
    }

    /** @param retry the retried batch that holds the offset */
    record Retrying(Retry retry) implements Known {
    }

    /** Not delivered yet: at or after the committed position. */
    record Pending() implements Known {
    }

    /** Delivered (the cursor passed it) but its time is no longer kept. @param horizonMillis the oldest time kept */
    record Passed(long horizonMillis) implements Known {
    }

    /** Appended before this lane's cursor was created at the head: never meant for it. @param startMillis when */
    record Before(long startMillis) implements Known {
    }

    private final TreeMap<Long, Range> ranges = new TreeMap<>();
    private final Map<Object, Retry> retries = new HashMap<>();
    private final long startOffset;
    private final boolean newCursor;
    private final long startMillis;
    private long horizonMillis;

    /**
     * @param startOffset where the lane's cursor stood when the lane started
     * @param newCursor   whether that cursor was created then (a new destination); otherwise it resumed
     * @param startMillis when
     */
    OutcomeLog(long startOffset, boolean newCursor, long startMillis) {
        this.startOffset = startOffset;
        this.newCursor = newCursor;
        this.startMillis = startMillis;
        this.horizonMillis = startMillis;
    }

    /** Entries delivered or given up: their outcome replaces what was known, and ends any retry. */
    synchronized void ended(List<? extends Entry<?>> entries, Kind kind, String reason, long nowMillis) {
        String r = reason == null ? null : shorten(reason);
        for (long[] run : runs(entries)) {
            put(new Range(run[0], run[1], kind, nowMillis, r));
        }
    }

    /**
     * A batch failed and will be tried again.
     *
     * @param owner the worker retrying it (one batch per worker)
     */
    synchronized void retrying(Object owner, List<? extends Entry<?>> entries, String reason, long nowMillis,
                               long nextMillis) {
        Retry before = retries.get(owner);
        retries.put(owner, new Retry(runs(entries), shorten(reason), before == null ? nowMillis : before.sinceMillis(),
                before == null ? 1 : before.attempts() + 1, nextMillis));
    }

    /** The worker's batch is done (or handed to another worker): no longer retrying. */
    synchronized void retryDone(Object owner) {
        retries.remove(owner);
    }

    /** The cursor moved back to {@code offset} (a replay): everything from there is pending again. */
    synchronized void seek(long offset) {
        Map.Entry<Long, Range> floor = ranges.floorEntry(offset);
        if (floor != null && floor.getValue().to() > offset) {
            Range f = floor.getValue();
            ranges.put(f.from(), new Range(f.from(), offset, f.kind(), f.timeMillis(), f.reason()));
        }
        ranges.tailMap(offset, true).clear();
    }

    /**
     * @param offset    a journal offset
     * @param committed the lane's committed position now
     * @return what is known about it
     */
    synchronized Known find(long offset, long committed) {
        for (Retry r : retries.values()) {
            if (r.covers(offset)) {
                return new Retrying(r);
            }
        }
        Map.Entry<Long, Range> floor = ranges.floorEntry(offset);
        if (floor != null && floor.getValue().to() > offset) {
            return new Ended(floor.getValue());
        }
        if (offset >= committed) {
            return new Pending();
        }
        if (newCursor && offset < startOffset) {
            return new Before(startMillis);
        }
        return new Passed(horizonMillis);
    }

    /** @return how many ranges are kept (for tests) */
    synchronized int size() {
        return ranges.size();
    }

    private void put(Range n) {
        // cut what the new range overlaps (a replayed offset ends again)
        Map.Entry<Long, Range> floor = ranges.floorEntry(n.from());
        if (floor != null && floor.getValue().to() > n.from()) {
            Range f = floor.getValue();
            ranges.put(f.from(), new Range(f.from(), n.from(), f.kind(), f.timeMillis(), f.reason()));
            if (f.to() > n.to()) {
                ranges.put(n.to(), new Range(n.to(), f.to(), f.kind(), f.timeMillis(), f.reason()));
            }
            if (f.from() == n.from()) {
                ranges.remove(f.from());
            }
        }
        Iterator<Range> inside = ranges.subMap(n.from(), true, n.to(), false).values().iterator();
        List<Range> tails = new ArrayList<>();
        while (inside.hasNext()) {
            Range r = inside.next();
            if (r.to() > n.to()) {
                tails.add(new Range(n.to(), r.to(), r.kind(), r.timeMillis(), r.reason()));
            }
            inside.remove();
        }
        tails.forEach(t -> ranges.put(t.from(), t));
        // merge with the range just before when it continues it
        Map.Entry<Long, Range> before = ranges.lowerEntry(n.from());
        if (before != null) {
            Range b = before.getValue();
            if (b.to() == n.from() && b.kind() == n.kind() && java.util.Objects.equals(b.reason(), n.reason())
                    && n.timeMillis() - b.timeMillis() <= MERGE_WITHIN_MILLIS) {
                ranges.put(b.from(), new Range(b.from(), n.to(), n.kind(), n.timeMillis(), n.reason()));
                return;
            }
        }
        ranges.put(n.from(), n);
        while (ranges.size() > MAX_RANGES) {
            Range gone = ranges.pollFirstEntry().getValue();
            horizonMillis = Math.max(horizonMillis, gone.timeMillis());
        }
    }

    /** @return the entries' offsets as runs {@code [from, to)} of consecutive offsets, in order */
    static List<long[]> runs(List<? extends Entry<?>> entries) {
        List<long[]> out = new ArrayList<>();
        long[] cur = null;
        for (Entry<?> e : entries) {
            if (cur != null && e.offset() == cur[1]) {
                cur[1]++;
            } else {
                cur = new long[] {e.offset(), e.offset() + 1};
                out.add(cur);
            }
        }
        return out;
    }

    private static String shorten(String s) {
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON - 1) + "…";
    }
}
