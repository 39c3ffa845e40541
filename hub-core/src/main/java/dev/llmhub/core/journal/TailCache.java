package dev.llmhub.core.journal;

import java.util.Arrays;

/**
 * The newest entries as the values that were appended, bounded by their encoded bytes: a reader at
 * the head takes them from here, with no disk read and no decode. Entries every reader at the head has
 * passed leave at once ({@link #dropBefore}): a record kept here for seconds outlives the young
 * generation and makes every collection copy it (measured: 9,000 cached records at 8k requests/s made
 * young pauses ~24 ms). Guarded by the journal's state lock.
 */
final class TailCache<T> {
    private final long budget;
    private Entry<T>[] entries;
    private long[] positions;
    private int head;
    private int size;
    private long bytes;

    @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array
    TailCache(long budgetBytes) {
        this.budget = budgetBytes;
        this.entries = new Entry[64];
        this.positions = new long[64];
    }

    /** @param e a published entry @param globalPosition where its frame starts (byte lag) */
    void add(Entry<T> e, long globalPosition) {
        if (budget <= 0) {
            return;
        }
        if (size == entries.length) {
            grow();
        }
        int slot = (head + size) % entries.length;
        entries[slot] = e;
        positions[slot] = globalPosition;
        size++;
        bytes += e.encodedSize();
        while (bytes > budget && size > 1) { // the newest entry always stays
            bytes -= entries[head].encodedSize();
            entries[head] = null;
            head = (head + 1) % entries.length;
            size--;
        }
    }

    /** Forgets the entries before {@code offset} (they stay on disk). */
    void dropBefore(long offset) {
        while (size > 0 && entries[head].offset() < offset) {
            bytes -= entries[head].encodedSize();
            entries[head] = null;
            head = (head + 1) % entries.length;
            size--;
        }
    }

    /** @return the oldest cached offset, or {@link Long#MAX_VALUE} when empty */
    long firstOffset() {
        return size == 0 ? Long.MAX_VALUE : entries[head].offset();
    }

    /** @return the index of the first entry with an offset at or after {@code offset}, or {@link #size()} */
    int indexOf(long offset) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid).offset() < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    Entry<T> get(int i) {
        return entries[(head + i) % entries.length];
    }

    long position(int i) {
        return positions[(head + i) % entries.length];
    }

    int size() {
        return size;
    }

    long bytes() {
        return bytes;
    }

    private void grow() {
        Entry<T>[] e = Arrays.copyOf(entries, entries.length * 2);
        long[] p = new long[entries.length * 2];
        for (int i = 0; i < size; i++) {
            e[i] = get(i);
            p[i] = position(i);
        }
        Arrays.fill(e, size, e.length, null);
        entries = e;
        positions = p;
        head = 0;
    }
}
