package dev.llmhub.core.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One cursor's view of the journal: reads entries in order from its position and commits what the
 * destination acknowledged. {@link #poll}, {@link #ack}, {@link #seek} are called by one thread at a
 * time (the lane serializes them); {@link #lag()} and the position getters from any thread.
 *
 * <p>Acknowledgements may come out of order (a lane exports several batches at once); the committed
 * position only moves over a contiguous acknowledged prefix, so after a crash nothing unacknowledged
 * is skipped (at-least-once; destinations dedupe by record id).
 */
public interface JournalReader<T> extends AutoCloseable {

    /** @return the cursor's name */
    String name();

    /**
     * Returns the entries after the last ones this reader returned (not after the committed
     * position), waiting up to {@code wait} for the first one. Entries that fail their checksum are
     * skipped and counted ({@link #takeCorrupt()}); entries lost to retention are counted
     * ({@link #takeDropped()}).
     *
     * @param maxEntries most entries (at least 1)
     * @param maxBytes   most encoded bytes (at least one entry is returned when any is available)
     * @param wait       longest wait for the first entry; zero does not wait
     * @return entries in offset order; empty when none arrived in time or the journal closed
     * @throws InterruptedException when interrupted while waiting
     * @throws java.io.UncheckedIOException when the journal's files cannot be read (an I/O error, not
     *                                      corrupt data: that is skipped and counted)
     */
    List<Entry<T>> poll(int maxEntries, long maxBytes, Duration wait) throws InterruptedException;

    /**
     * Marks entries delivered (or given up for good). The committed position advances over every
     * entry before the first one returned by {@link #poll} and not yet acknowledged. Persisted lazily
     * (within about 100 ms) and on {@link #close()}.
     *
     * @param entries entries this reader returned
     */
    void ack(List<Entry<T>> entries);

    /**
     * Moves the read and committed position (replay a time range, or skip ahead). Entries returned
     * by earlier polls and not yet acknowledged no longer count.
     *
     * @param offset the next offset to read; clamped to what is retained
     */
    void seek(long offset);

    /** @return the next offset {@link #poll} will return */
    long position();

    /** @return the first offset not yet acknowledged (everything before it is delivered) */
    long committed();

    /** @return what is between the committed position and the head */
    Lag lag();

    /**
     * @return entries this cursor lost to retention ({@code max_disk}, {@code max_age}) since the last
     *         call, with the reason; zero count when none
     */
    Dropped takeDropped();

    /** @return entries skipped because they were corrupt, since the last call */
    long takeCorrupt();

    /** Persists the committed position and releases the name; the cursor itself is kept. */
    @Override
    void close();

    /**
     * @param entries         entries not yet acknowledged
     * @param bytes           their encoded size
     * @param oldestTimestamp when the oldest of them was appended; absent when there is none
     */
    record Lag(long entries, long bytes, java.util.Optional<Instant> oldestTimestamp) {
    }

    /**
     * @param count  entries lost
     * @param reason why, for the log, e.g. {@code max_disk 1 GiB reached}
     */
    record Dropped(long count, String reason) {
        /** No loss. */
        public static final Dropped NONE = new Dropped(0, "");
    }
}
