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
 * assigned there, in queue order) and one thread at a time writes everything queued with one write
 * call (and, in {@code fsync} mode, one fsync).
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

    // TEMPORARY (measurement): which thread writes, and whether callers encode their own entry.
    enum Strategy { LEADER, WRITER }
    static final Strategy STRATEGY = Strategy.valueOf(System.getProperty("llmhub.journal.commit", "LEADER"));
    static final boolean CALLER_ENCODES = Boolean.parseBoolean(System.getProperty("llmhub.journal.callerEncodes", "true"));

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private final Sink<T> sink;
    private final JournalCodec<T> codec;
    private final Clock clock;
    private ArrayList<PendingAppend<T>> queue = new ArrayList<>();
    private boolean leaderActive;
    private boolean closed;
    private long nextOffset;
    private long lastTimestamp;
    private final Thread writer;

    GroupCommit(Sink<T> sink, JournalCodec<T> codec, Clock clock, long nextOffset, long lastTimestamp) {
        this.sink = sink;
        this.codec = codec;
        this.clock = clock;
        this.nextOffset = nextOffset;
        this.lastTimestamp = lastTimestamp;
        if (STRATEGY == Strategy.WRITER) {
            writer = Thread.ofPlatform().name("llmhub-journal-writer").daemon().unstarted(this::writerLoop);
            writer.start();
        } else {
            writer = null;
        }
    }

    PendingAppend<T> append(T value) {
        PendingAppend<T> p = new PendingAppend<>(this, value);
        if (CALLER_ENCODES) {
            try {
                p.encoded = codec.encode(value);
            } catch (RuntimeException e) {
                // the writer encodes it again and reports the failure with the others
            }
        }
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
            if (writer != null) {
                work.signal();
            } else if (!leaderActive) {
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
            commit(batch);
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

    private void writerLoop() {
        while (true) {
            List<PendingAppend<T>> batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    work.awaitUninterruptibly();
                }
                batch = take();
                if (batch == null) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            commit(batch);
        }
    }

    private void commit(List<PendingAppend<T>> batch) {
        try {
            sink.commit(batch, this::drain);
        } catch (RuntimeException | Error e) {
            JournalWriteException failure = new JournalWriteException("journal write failed: " + e, e);
            for (PendingAppend<T> p : batch) {
                if (!p.isDone()) {
                    p.fail(failure);
                }
            }
            throw e;
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

    /** Refuses new appends, writes everything queued, stops the writer thread. */
    void close() {
        lock.lock();
        try {
            closed = true;
            work.signal();
            if (writer == null) {
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
                        idle.await(10, TimeUnit.MILLISECONDS);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (writer != null) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
            work.signal();
        } finally {
            lock.unlock();
        }
        if (writer != null) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
