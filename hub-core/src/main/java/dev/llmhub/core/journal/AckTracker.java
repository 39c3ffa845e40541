package dev.llmhub.core.journal;

import java.util.List;

/**
 * Entries a reader returned and its destination has not acknowledged yet, in offset order. Acks may
 * come in any order; the committed position is the first entry still unacknowledged. Holds a few
 * numbers per entry, never the values: the lane owns those.
 */
final class AckTracker {
    private long[] offsets = new long[64];
    private long[] positions = new long[64];
    private long[] timestamps = new long[64];
    private boolean[] acked = new boolean[64];
    private int head;
    private int size;

    void add(long offset, long globalPosition, long timestamp) {
        if (size == offsets.length) {
            grow();
        }
        int slot = slot(size);
        offsets[slot] = offset;
        positions[slot] = globalPosition;
        timestamps[slot] = timestamp;
        acked[slot] = false;
        size++;
    }

    /** Marks these entries acknowledged (unknown ones, e.g. from before a seek, are ignored). */
    void ack(List<? extends Entry<?>> entries) {
        for (Entry<?> e : entries) {
            ack(e.offset());
        }
    }

    /** Marks one offset acknowledged (unknown offsets, e.g. from before a seek, are ignored). */
    void ack(long offset) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long o = offsets[slot(mid)];
            if (o < offset) {
                lo = mid + 1;
            } else if (o > offset) {
                hi = mid - 1;
            } else {
                acked[slot(mid)] = true;
                break;
            }
        }
        while (size > 0 && acked[head]) {
            head = (head + 1) % offsets.length;
            size--;
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    long firstOffset() {
        return offsets[head];
    }

    long firstPosition() {
        return positions[head];
    }

    long firstTimestamp() {
        return timestamps[head];
    }

    /** @param offset an offset @return unacknowledged entries below it */
    long unackedBelow(long offset) {
        long n = 0;
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            if (!acked[s] && offsets[s] < offset) {
                n++;
            }
        }
        return n;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    private int slot(int i) {
        return (head + i) % offsets.length;
    }

    private void grow() {
        int n = offsets.length * 2;
        long[] o = new long[n];
        long[] p = new long[n];
        long[] t = new long[n];
        boolean[] a = new boolean[n];
        for (int i = 0; i < size; i++) {
            int from = slot(i);
            o[i] = offsets[from];
            p[i] = positions[from];
            t[i] = timestamps[from];
            a[i] = acked[from];
        }
        offsets = o;
        positions = p;
        timestamps = t;
        acked = a;
        head = 0;
    }
}
