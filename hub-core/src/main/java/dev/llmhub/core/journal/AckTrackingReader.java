package dev.llmhub.core.journal;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A reader that keeps what it returned and was not acknowledged itself (the local and the in-memory
 * journal; Kafka's reader commits through the consumer group): acknowledging and seeking work the same
 * way for both, under the reader's lock, and move the committed position only over a contiguous
 * acknowledged prefix.
 */
abstract class AckTrackingReader<T> extends CountingReader<T> {
    /** Guards {@link #unacked} and the read and committed positions. */
    final ReentrantLock lock;
    final AckTracker unacked = new AckTracker();
    /** When the cursor was last opened or acknowledged (epoch millis); read from any thread. */
    volatile long lastUsedMillis;

    /**
     * @param name the cursor's name
     * @param lock the reader's own lock, or the journal's when that guards all of its readers
     * @param now  when it is opened (epoch millis)
     */
    AckTrackingReader(String name, ReentrantLock lock, long now) {
        super(name);
        this.lock = lock;
        this.lastUsedMillis = now;
    }

    @Override
    public final void ack(List<Entry<T>> entries) {
        lock.lock();
        try {
            unacked.ack(entries);
            updateCommitted();
            lastUsedMillis = nowMillis();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void seek(long offset) {
        lock.lock();
        try {
            unacked.clear();
            moveTo(offset);
            updateCommitted();
        } finally {
            lock.unlock();
        }
    }

    /** @param offset an offset @return entries this reader returned below it and never acknowledged */
    final long unackedBelow(long offset) {
        lock.lock();
        try {
            return unacked.unackedBelow(offset);
        } finally {
            lock.unlock();
        }
    }

    /** Recomputes the committed position from the read position and {@link #unacked}; under the lock. */
    abstract void updateCommitted();

    /** Moves the read position to {@code offset}, clamped to what is retained; under the lock. */
    abstract void moveTo(long offset);

    /** @return the journal clock's time (epoch millis) */
    abstract long nowMillis();
}
