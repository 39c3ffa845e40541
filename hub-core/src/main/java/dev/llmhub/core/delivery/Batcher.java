package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.core.journal.Entry;
import dev.llmhub.core.journal.JournalReader;
import dev.llmhub.core.logging.ThrottledLog;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The head of a lane: reads its cursor in the journal and cuts batches (at most {@code batch_size}
 * records or {@code batch_max_bytes}, or what came within {@code flush_interval} of the first one).
 * Records the lane does not subscribe to are acknowledged at once; the rest are redacted for the lane.
 * Losses the journal reports for this cursor (its bounds, corrupt entries) are counted as dropped and
 * logged, naming the lane.
 *
 * <p>The reader is single-threaded: workers take batches under a lock, and acknowledgements queue
 * here and are applied by whichever thread holds the lock next, so a worker never waits for another
 * worker's poll to acknowledge.
 */
final class Batcher {
    /** Longest a poll blocks, so stops and queued acknowledgements are seen promptly. */
    private static final Duration MAX_POLL = Duration.ofMillis(200);

    private final String lane;
    private final JournalReader<CallRecord> reader;
    private final Subscription subscription;
    private final RedactionPolicy redaction;
    private final LaneSettings settings;
    private final LaneMetrics metrics;
    private final ThrottledLog dropLog;
    // Fair: an idle worker holds the lock through its polls and takes it again at once, so an unfair lock
    // let a seek (a replay from the console) lose to it for seconds, over 30 s under load. Taken once per
    // batch, not per record, so fairness is cheap here.
    private final ReentrantLock lock = new ReentrantLock(true);
    private final ConcurrentLinkedQueue<List<Entry<CallRecord>>> acks = new ConcurrentLinkedQueue<>();

    Batcher(String lane, JournalReader<CallRecord> reader, Subscription subscription, RedactionPolicy redaction,
            LaneSettings settings, LaneMetrics metrics, ThrottledLog dropLog) {
        this.lane = lane;
        this.reader = reader;
        this.subscription = subscription;
        this.redaction = redaction;
        this.settings = settings;
        this.metrics = metrics;
        this.dropLog = dropLog;
    }

    /**
     * Cuts the next batch.
     *
     * @param firstWait how long to wait for a first record
     * @param urgent    checked between polls: when true (the lane is stopping or draining) nothing is waited
     *                  for — the batch is what the journal has now
     * @return the batch, or null when no record came
     * @throws InterruptedException when interrupted
     */
    Batch next(Duration firstWait, BooleanSupplier urgent) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            List<Entry<CallRecord>> taken = new ArrayList<>();
            long bytes = 0;
            long deadline = System.nanoTime() + firstWait.toNanos();
            while (true) {
                applyAcks();
                boolean hurry = urgent.getAsBoolean();
                long left = hurry ? 0 : Math.max(0, Math.min(deadline - System.nanoTime(), MAX_POLL.toNanos()));
                List<Entry<CallRecord>> got = reader.poll(settings.batchSize() - taken.size(),
                        Math.max(1, settings.batchMaxBytes() - bytes), Duration.ofNanos(left));
                countLosses();
                boolean wasEmpty = taken.isEmpty();
                List<Entry<CallRecord>> skipped = new ArrayList<>();
                for (Entry<CallRecord> e : got) {
                    if (wants(e.value())) {
                        taken.add(e);
                        bytes += e.encodedSize();
                    } else {
                        skipped.add(e);
                    }
                }
                if (!skipped.isEmpty()) {
                    reader.ack(skipped);
                }
                if (wasEmpty && !taken.isEmpty()) {
                    deadline = System.nanoTime() + settings.flushInterval().toNanos(); // now the batch fills
                }
                if (taken.size() >= settings.batchSize() || bytes >= settings.batchMaxBytes()
                        || (hurry ? got.isEmpty() : System.nanoTime() >= deadline)) {
                    break;
                }
            }
            applyAcks();
            if (taken.isEmpty()) {
                return null;
            }
            List<CallRecord> records = new ArrayList<>(taken.size());
            for (Entry<CallRecord> e : taken) {
                records.add(redaction.apply(e.value()));
            }
            return new Batch(taken, records);
        } finally {
            lock.unlock();
        }
    }

    private boolean wants(CallRecord r) {
        return r.status() == CallStatus.SUCCESS ? subscription.success() : subscription.failure();
    }

    /** Counts (and logs) what the journal reports lost for this cursor; safe from any thread. */
    void countLosses() {
        JournalReader.Dropped d = reader.takeDropped();
        if (d.count() > 0) {
            metrics.dropped(d.count());
            dropLog.log(Level.WARNING, held -> "lane '" + lane + "': " + d.count() + " record(s) dropped before "
                    + "delivery: " + d.reason() + ThrottledLog.heldBack(held));
        }
        long corrupt = reader.takeCorrupt();
        if (corrupt > 0) {
            metrics.dropped(corrupt);
            dropLog.log(Level.WARNING, held -> "lane '" + lane + "': " + corrupt + " corrupt journal entr"
                    + (corrupt == 1 ? "y" : "ies") + " skipped" + ThrottledLog.heldBack(held));
        }
    }

    /** Marks a batch's entries done (delivered or given up); applied by the next thread that holds the lock. */
    void ack(List<Entry<CallRecord>> entries) {
        if (entries.isEmpty()) {
            return;
        }
        acks.add(entries);
        if (lock.tryLock()) {
            try {
                applyAcks();
            } finally {
                lock.unlock();
            }
        }
    }

    private void applyAcks() {
        List<Entry<CallRecord>> e;
        while ((e = acks.poll()) != null) {
            reader.ack(e);
        }
    }

    /** Moves the cursor (replay or skip). Batches in flight still finish; their acknowledgements no longer count. */
    void seek(long offset) {
        lock.lock();
        try {
            applyAcks();
            reader.seek(offset);
        } finally {
            lock.unlock();
        }
    }

    long position() {
        return reader.position();
    }

    long committed() {
        return reader.committed();
    }

    JournalReader.Lag lag() {
        return reader.lag();
    }

    /** Applies the last acknowledgements and closes the cursor (it is kept in the journal). */
    void close() {
        lock.lock();
        try {
            applyAcks();
            reader.close();
        } finally {
            lock.unlock();
        }
    }
}
