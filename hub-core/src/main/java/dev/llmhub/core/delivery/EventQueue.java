package dev.llmhub.core.delivery;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A callback handler's pre-call, post-call and stream events: observations of calls in progress, kept
 * in memory only (records are what the journal keeps). Bounded; when full the oldest event goes and
 * is counted.
 */
final class EventQueue {
    private final ArrayBlockingQueue<Object> queue;
    private final AtomicLong dropped = new AtomicLong();

    EventQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** @param event a {@code PreApiCall}, {@code PostApiCall} or {@code StreamChunk}, never blocks */
    void offer(Object event) {
        while (!queue.offer(event)) {
            if (queue.poll() != null) {
                dropped.incrementAndGet();
            }
        }
    }

    Object poll() {
        return queue.poll();
    }

    Object poll(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /** @return events dropped since the last call */
    long takeDropped() {
        return dropped.getAndSet(0);
    }

    /** Moves what is queued into another queue (a re-tuned handler lane keeps its events). */
    void drainTo(EventQueue other) {
        Object e;
        while ((e = queue.poll()) != null) {
            other.offer(e);
        }
    }
}
