package dev.llmhub.core.journal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Turns concurrent appends into few writes: every append joins a queue (its offset and time are
 * assigned there, in queue order) and one thread at a time encodes and writes everything queued with
 * one write call (and, in {@code fsync} mode, one fsync).
 *
 * <p>Leader/follower, no writer thread: the appender that finds nobody writing writes the queue
 * itself (inside {@code append}); when it is done and more is queued, it hands the next write to a
 * thread already waiting for its own entry, so no caller writes for others for long. Chosen over a
 * dedicated writer thread by {@code bench/journal.sh} (2 busy cores, ~2 KB entries, virtual-thread
 * writers; see docs/pipeline.md, "Choosing the journal"): one writer at a time waits 4.5 µs (p50; p99 44 µs) instead
 * of 19-33 µs (p99 108-151 µs), because no other thread has to wake up; with fsync, 16 writers
 * commit 10,000 appends/s instead of 2,400-3,800. The writer thread only led at 16 saturating
 * writers without fsync (103-121k vs 69-102k appends/s), a rate far above what the proxy's HTTP
 * path produces. The leader also encodes the batch: callers encoding their own entry (in parallel)
 * measured 2 to 5 times slower at 16 writers, as 16 encoding threads starve the one that writes.
 */
final class GroupCommit<T> {

    /** Writes a batch: encodes, frames, writes, syncs, publishes, then completes or fails each append. */
    interface Sink<T> {
        /**
         * @param batch appends in offset order
         * @param more  appends queued since, for the writer to add while it waits out the fsync interval
         */
        void commit(List<PendingAppend<T>> batch, Supplier<List<PendingAppend<T>>> more);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Sink<T> sink;
    private final Clock clock;
    private ArrayList<PendingAppend<T>> queue = new ArrayList<>();
    private boolean leaderActive;
    private boolean closed;
    private long nextOffset;
    private long lastTimestamp;

    GroupCommit(Sink<T> sink, Clock clock, long nextOffset, long lastTimestamp) {
        this.sink = sink;
        this.clock = clock;
        this.nextOffset = nextOffset;
        this.lastTimestamp = lastTimestamp;
    }

    PendingAppend<T> append(T value) {
        PendingAppend<T> p = new PendingAppend<>(this, value);
        boolean lead = false;
        lock.lock();
        try {
            if (closed) {
                throw new JournalClosedException("the journal is closed");
            }
            p.offset = nextOffset++;
            // Entry times never go backwards, so "replay from a time" can search by time.
            p.timestamp = lastTimestamp = Math.max(lastTimestamp, clock.millis());
            queue.add(p);
            if (!leaderActive) {
                leaderActive = true;
                lead = true;
            }
        } finally {
            lock.unlock();
        }
        if (lead) {
            lead(true);
        }
        return p;
    }

    /** @return the offset the next append gets */
    long nextOffset() {
        lock.lock();
        try {
            return nextOffset;
        } finally {
            lock.unlock();
        }
    }

    boolean await(PendingAppend<T> p, long nanos) throws InterruptedException {
        if (p.isDone()) {
            return p.result();
        }
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        p.waiter = Thread.currentThread();
        try {
            while (!p.isDone()) {
                if (p.promoted) {
                    p.promoted = false;
                    lead(true);
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    interrupted = true;
                    break;
                }
            }
        } finally {
            boolean promoted;
            lock.lock();
            try {
                p.waiter = null;
                promoted = p.promoted;
                p.promoted = false;
            } finally {
                lock.unlock();
            }
            if (promoted) {
                lead(true); // the write was handed to us as we stopped waiting: do it, or nobody will
            }
        }
        if (interrupted && !p.isDone()) {
            throw new InterruptedException("interrupted while waiting for a journal write");
        }
        return p.result();
    }

    /**
     * Writes batches until the queue is empty, or hands the next batch to a thread that is waiting
     * for its own entry (so no caller writes for others for long).
     */
    private void lead(boolean mayHandOver) {
        while (true) {
            List<PendingAppend<T>> batch;
            lock.lock();
            try {
                batch = take();
                if (batch == null) {
                    leaderActive = false;
                    idle.signalAll();
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                sink.commit(batch, this::drain);
            } catch (RuntimeException | Error e) {
                // A bug, not an I/O error (those fail their appends inside the sink): fail the batch,
                // give up the lead so the journal is not stuck, and let the caller see it.
                JournalWriteException failure = new JournalWriteException("journal write failed: " + e, e);
                batch.stream().filter(p -> !p.isDone()).forEach(p -> p.fail(failure));
                lock.lock();
                try {
                    leaderActive = false;
                    idle.signalAll();
                } finally {
                    lock.unlock();
                }
                throw e;
            }
            lock.lock();
            try {
                if (queue.isEmpty()) {
                    leaderActive = false;
                    idle.signalAll();
                    return;
                }
                if (mayHandOver) {
                    for (PendingAppend<T> next : queue) {
                        Thread t = next.waiter;
                        if (t != null) {
                            next.promoted = true;
                            LockSupport.unpark(t);
                            return;
                        }
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private List<PendingAppend<T>> take() {
        if (queue.isEmpty()) {
            return null;
        }
        List<PendingAppend<T>> batch = queue;
        queue = new ArrayList<>(Math.max(16, batch.size()));
        return batch;
    }

    private List<PendingAppend<T>> drain() {
        lock.lock();
        try {
            List<PendingAppend<T>> batch = take();
            return batch == null ? List.of() : batch;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new appends and writes everything queued (waiting for a write in progress). */
    void close() {
        lock.lock();
        try {
            closed = true;
            while (leaderActive || !queue.isEmpty()) {
                if (!leaderActive) {
                    leaderActive = true;
                    lock.unlock();
                    try {
                        lead(false);
                    } finally {
                        lock.lock();
                    }
                } else {
                    idle.await(10, TimeUnit.MILLISECONDS); // woken when the writer finishes; the timeout is a safety net
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** A crash, for tests: queued appends fail unwritten, nothing more is written. */
    void abandon() {
        lock.lock();
        try {
            closed = true;
            List<PendingAppend<T>> lost = take();
            if (lost != null) {
                JournalWriteException e = new JournalWriteException("the journal stopped", null);
                lost.forEach(p -> p.fail(e));
            }
        } finally {
            lock.unlock();
        }
    }
}
