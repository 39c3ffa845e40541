package dev.llmhub.core.journal;

import java.util.Arrays;

/**
 * Kafka's sparse offset and time index in memory: one point (offset, file position, timestamp) per
 * {@link #INTERVAL} bytes of a segment, so finding an offset or a time reads at most that much.
 * Appended by the writer while readers search it, hence synchronized (never contended for long).
 */
final class SparseIndex {
    static final int INTERVAL = 64 * 1024;

    private long[] offsets = new long[16];
    private long[] positions = new long[16];
    private long[] timestamps = new long[16];
    private int size;
    private long lastPosition = -INTERVAL;

    /** Records a frame when it starts at least {@link #INTERVAL} bytes after the last point. */
    synchronized void maybeAdd(long offset, long position, long timestamp) {
        if (position - lastPosition < INTERVAL) {
            return;
        }
        add(offset, position, timestamp);
    }

    synchronized void add(long offset, long position, long timestamp) {
        if (size == offsets.length) {
            offsets = Arrays.copyOf(offsets, size * 2);
            positions = Arrays.copyOf(positions, size * 2);
            timestamps = Arrays.copyOf(timestamps, size * 2);
        }
        offsets[size] = offset;
        positions[size] = position;
        timestamps[size] = timestamp;
        size++;
        lastPosition = position;
    }

    /** @return the file position of the last point with an offset at or before {@code offset}, else 0 */
    synchronized long positionFor(long offset) {
        int i = floor(offsets, offset);
        return i < 0 ? 0 : positions[i];
    }

    /** @return the file position of the last point appended before {@code timestamp}, else 0 */
    synchronized long positionForTime(long timestamp) {
        int i = floor(timestamps, timestamp - 1);
        return i < 0 ? 0 : positions[i];
    }

    /** @return the timestamp of the last point at or before {@code offset}, else -1 */
    synchronized long timestampFor(long offset) {
        int i = floor(offsets, offset);
        return i < 0 ? -1 : timestamps[i];
    }

    synchronized long[] snapshot() {
        long[] out = new long[size * 3];
        for (int i = 0; i < size; i++) {
            out[i * 3] = offsets[i];
            out[i * 3 + 1] = positions[i];
            out[i * 3 + 2] = timestamps[i];
        }
        return out;
    }

    /** Index of the last element {@code <= key} in the first {@code size} (ascending) values, or -1. */
    private int floor(long[] values, long key) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
