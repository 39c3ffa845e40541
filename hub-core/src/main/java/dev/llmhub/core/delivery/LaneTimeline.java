package dev.llmhub.core.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A lane's last hour, one bucket per minute: records delivered and given up, export calls and their
 * durations. Fixed size (60 buckets), for the console's throughput and export-latency chart;
 * {@code /metrics} keeps the long-term series.
 */
public final class LaneTimeline {
    /** Buckets kept: one per minute. */
    public static final int MINUTES = 60;
    private static final long MINUTE_MILLIS = 60_000;

    /**
     * One minute of a lane.
     *
     * @param start         the minute's start
     * @param exported      records delivered (or handled)
     * @param failed        records given up
     * @param retried       records sent again after a retryable failure
     * @param exports       export (or hook) calls that returned
     * @param meanExportMs  their mean duration, 0 when there was none
     * @param maxExportMs   the longest of them, 0 when there was none
     */
    public record Minute(Instant start, long exported, long failed, long retried, long exports, double meanExportMs,
                         double maxExportMs) {
    }

    private final Clock clock;
    private final long[] minute = new long[MINUTES];
    private final long[] exported = new long[MINUTES];
    private final long[] failed = new long[MINUTES];
    private final long[] retried = new long[MINUTES];
    private final long[] exports = new long[MINUTES];
    private final long[] exportNanos = new long[MINUTES];
    private final long[] maxNanos = new long[MINUTES];

    LaneTimeline(Clock clock) {
        this.clock = clock;
        java.util.Arrays.fill(minute, Long.MIN_VALUE);
    }

    synchronized void exported(long n) {
        exported[slot()] += n;
    }

    synchronized void failed(long n) {
        failed[slot()] += n;
    }

    synchronized void retried(long n) {
        retried[slot()] += n;
    }

    synchronized void exportTook(long nanos) {
        int i = slot();
        exports[i]++;
        exportNanos[i] += nanos;
        maxNanos[i] = Math.max(maxNanos[i], nanos);
    }

    /** @return the last {@link #MINUTES} minutes, oldest first, the current (partial) minute last */
    public synchronized List<Minute> minutes() {
        long now = clock.millis() / MINUTE_MILLIS;
        List<Minute> out = new ArrayList<>(MINUTES);
        for (long m = now - MINUTES + 1; m <= now; m++) {
            int i = (int) Math.floorMod(m, MINUTES);
            Instant start = Instant.ofEpochMilli(m * MINUTE_MILLIS);
            if (minute[i] != m) {
                out.add(new Minute(start, 0, 0, 0, 0, 0, 0));
            } else {
                out.add(new Minute(start, exported[i], failed[i], retried[i], exports[i],
                        exports[i] == 0 ? 0 : exportNanos[i] / 1e6 / exports[i], maxNanos[i] / 1e6));
            }
        }
        return out;
    }

    /** @return the current minute's bucket, emptied first when it last held an older minute */
    private int slot() {
        long m = clock.millis() / MINUTE_MILLIS;
        int i = (int) Math.floorMod(m, MINUTES);
        if (minute[i] != m) {
            minute[i] = m;
            exported[i] = 0;
            failed[i] = 0;
            retried[i] = 0;
            exports[i] = 0;
            exportNanos[i] = 0;
            maxNanos[i] = 0;
        }
        return i;
    }
}
