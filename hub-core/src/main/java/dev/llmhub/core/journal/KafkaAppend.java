package dev.llmhub.core.journal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One record on its way to the journal's topic: done when the producer's callback says Kafka has it
 * (as far as {@code acks} asks) or gave it up. Its offset (an address, see {@link KafkaOffsets}) is
 * known once done; -1 before, and always with {@code acks=0}.
 *
 * <p>The wait is bounded twice: by the caller's timeout and by the journal's {@code append_timeout}
 * from the moment of the append. While the journal knows Kafka is not acknowledging ({@link
 * KafkaJournal#degraded()}), the wait ends at once: answers do not queue up behind an outage. The
 * record itself stays in the producer's buffer and is sent when Kafka is back, or counted as a write
 * failure when the producer gives up ({@code delivery.timeout.ms}).
 */
final class KafkaAppend implements Append {
    private final KafkaJournal<?> journal;
    private final long deadlineNanos;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long offset = -1;
    private volatile JournalWriteException failure;

    KafkaAppend(KafkaJournal<?> journal, long startNanos, Duration appendTimeout) {
        this.journal = journal;
        this.deadlineNanos = startNanos + appendTimeout.toNanos();
    }

    synchronized void complete(long address) {
        if (done.getCount() > 0) {
            offset = address;
            done.countDown();
        }
    }

    /** Ignored once done: with {@code acks=0} the append completed at once, and its failure is only counted. */
    synchronized void fail(JournalWriteException e) {
        if (done.getCount() > 0) {
            failure = e;
            done.countDown();
        }
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        if (done.getCount() > 0 && !journal.degraded()) {
            long wait = Math.min(timeout.toNanos(), deadlineNanos - System.nanoTime());
            boolean finished = wait > 0 && done.await(wait, TimeUnit.NANOSECONDS);
            if (!finished && done.getCount() > 0 && System.nanoTime() - deadlineNanos >= 0) {
                journal.notAcknowledgedInTime();
            }
        }
        if (done.getCount() > 0) {
            return false;
        }
        JournalWriteException f = failure;
        if (f != null) {
            throw new JournalWriteException(f.getMessage(), f);
        }
        return true;
    }

    @Override
    public boolean isDone() {
        return done.getCount() == 0;
    }
}
