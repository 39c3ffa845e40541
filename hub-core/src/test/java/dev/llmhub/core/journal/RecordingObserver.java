package dev.llmhub.core.journal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Sums what a journal reports. */
final class RecordingObserver implements JournalObserver {
    final AtomicLong written = new AtomicLong();
    final AtomicLong syncs = new AtomicLong();
    final AtomicLong writeFailed = new AtomicLong();
    final AtomicLong truncated = new AtomicLong();
    final AtomicLong truncatedBytes = new AtomicLong();
    final AtomicLong corrupt = new AtomicLong();
    final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
    volatile String lastFailure = "";
    volatile String lastDropReason = "";

    @Override
    public void written(int entries, long nanos) {
        written.addAndGet(entries);
    }

    @Override
    public void synced(long nanos) {
        syncs.incrementAndGet();
    }

    @Override
    public void writeFailed(int entries, String reason) {
        writeFailed.addAndGet(entries);
        lastFailure = reason;
    }

    @Override
    public void truncated(long entries, long bytes, String segment) {
        truncated.addAndGet(entries);
        truncatedBytes.addAndGet(bytes);
    }

    @Override
    public void corrupt(long entries, String segment) {
        corrupt.addAndGet(entries);
    }

    @Override
    public void dropped(String cursor, long entries, String reason) {
        dropped.computeIfAbsent(cursor, k -> new AtomicLong()).addAndGet(entries);
        lastDropReason = reason;
    }

    long droppedFor(String cursor) {
        AtomicLong n = dropped.get(cursor);
        return n == null ? 0 : n.get();
    }
}
