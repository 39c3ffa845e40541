package dev.llmhub.core.journal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Records the producer could not take yet: Kafka unreachable since the proxy started, or the
 * producer without the topic's metadata (it lost it around a broker restart) or without buffer space.
 * A request thread parks its record here instead of blocking, and one thread hands them to the
 * producer, oldest first, as soon as it takes them. Bounded in bytes; a record that does not fit, or
 * that is older than the producer's own {@code delivery.timeout.ms}, is given up (counted as a write
 * failure by the journal). While records wait here, new ones queue behind them, so order is kept and
 * no request thread waits on the producer.
 */
final class KafkaBacklog {
    /** What a parked record goes back to. */
    interface Sender {
        /**
         * @param record the parked record
         * @return true when the producer took it (or it failed for good); false to try again
         */
        boolean send(Parked record);

        /** @param record given up @param reason why, for the count and the log */
        void giveUp(Parked record, String reason);
    }

    /** A record waiting for the producer, with the append that waits for it. */
    record Parked(byte[] key, byte[] value, KafkaAppend append, long startNanos) {
        long size() {
            return value.length + (long) key.length;
        }
    }

    private static final Duration RETRY = Duration.ofMillis(200);

    private final long maxBytes;
    private final long maxAgeNanos;
    private final Sender sender;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Parked> queue = new ArrayDeque<>();
    private final Thread thread;
    private long bytes;
    /** Parked and not yet handed over (the one being sent included): new records go behind them. */
    private int waiting;
    private boolean stopping;

    KafkaBacklog(long maxBytes, Duration maxAge, Sender sender) {
        this.maxBytes = maxBytes;
        this.maxAgeNanos = maxAge.toNanos();
        this.sender = sender;
        this.thread = Thread.ofPlatform().daemon().name("llmhub-journal-kafka-backlog").unstarted(this::run);
        thread.start();
    }

    /** @return whether records are waiting (a new record must queue behind them) */
    boolean active() {
        lock.lock();
        try {
            return waiting > 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param p a record the producer did not take
     * @return false when the backlog is full (or stopping): the caller gives the record up
     */
    boolean park(Parked p) {
        lock.lock();
        try {
            if (stopping || bytes + p.size() > maxBytes) {
                return false;
            }
            queue.addLast(p);
            bytes += p.size();
            waiting++;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** @return bytes waiting */
    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            Parked p;
            lock.lock();
            try {
                while (queue.isEmpty() && !stopping) {
                    changed.await();
                }
                if (queue.isEmpty()) {
                    return;
                }
                p = queue.peekFirst();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            boolean done;
            if (System.nanoTime() - p.startNanos() >= maxAgeNanos) {
                sender.giveUp(p, "Kafka did not take it within delivery.timeout.ms (" + TimeUnit.NANOSECONDS.toSeconds(maxAgeNanos) + " s)");
                done = true;
            } else {
                done = sender.send(p);
            }
            lock.lock();
            try {
                if (done) {
                    queue.pollFirst();
                    bytes -= p.size();
                    waiting--;
                    changed.signalAll();
                } else if (!stopping) {
                    changed.await(RETRY.toNanos(), TimeUnit.NANOSECONDS);
                }
                if (stopping && !done) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Stops: what is still parked after {@code drain} (Kafka taking records again) is given up.
     *
     * @param drain how long the records may still go out
     */
    void close(Duration drain) {
        long deadline = System.nanoTime() + drain.toNanos();
        lock.lock();
        try {
            while (waiting > 0 && System.nanoTime() < deadline) {
                changed.awaitNanos(Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
            }
            stopping = true;
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            for (Parked p : queue) {
                sender.giveUp(p, "the proxy stopped before Kafka took it");
            }
            queue.clear();
            bytes = 0;
            waiting = 0;
        } finally {
            lock.unlock();
        }
    }
}
