package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.plugin.PluginInvoker;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A destination's lane: batches records (max records, max estimated bytes, max delay), runs up to
 * {@code max_concurrent_exports} exports at once, and retries each batch with exponential backoff
 * and jitter — waiting at least what {@link ExportResult.Retryable#after()} asks — until
 * {@code max_retry_elapsed}; a {@link ExportResult.Partial} result narrows the retry to the records
 * that failed. Exports run through the lane's {@link PluginInvoker}: a throwing, hanging or
 * {@link LinkageError}-ing destination shows up in this lane's counters and nowhere else.
 */
public final class DeliveryLane extends Lane {
    private final Semaphore exportSlots;
    private CallRecord carry;
    private int lastBatchSize;

    /**
     * @param name         destination name
     * @param settings     lane settings
     * @param subscription which records it receives
     * @param redaction    the proxy-wide policy (the lane adds {@code message_logging: false})
     * @param registry     where its meters go
     */
    public DeliveryLane(String name, LaneSettings settings, Subscription subscription, RedactionPolicy redaction,
                        MeterRegistry registry) {
        super(name, settings, subscription, redaction, registry);
        this.exportSlots = new Semaphore(settings.maxConcurrentExports());
    }

    @Override
    String kind() {
        return "destination";
    }

    @Override
    void runWorker() {
        while (true) {
            if (draining && carry == null && queue.isEmpty()) {
                return;
            }
            if (!awaitProvider()) {
                return;
            }
            try {
                exportSlots.acquire();
            } catch (InterruptedException e) {
                continue; // shutdown began: loop again in drain mode
            }
            List<CallRecord> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                batch = List.of();
            } catch (RuntimeException e) {
                // A record we cannot prepare (a bug on our side) must not stop the lane.
                LOG.log(Level.ERROR, "lane ''" + name + "'': cannot prepare a batch; its records are counted failed", e);
                settleFailed(lastBatchSize);
                batch = List.of();
            }
            if (batch.isEmpty()) {
                exportSlots.release();
                continue;
            }
            batchStarted();
            List<CallRecord> owned = batch;
            Thread.ofVirtual().name("llmhub-export-" + name).start(() -> {
                try {
                    deliver(owned);
                } catch (Throwable t) {
                    LOG.log(Level.ERROR, "lane ''" + name + "'': delivery loop failed", t);
                    settleFailed(owned.size());
                } finally {
                    exportSlots.release();
                    batchEnded();
                }
            });
        }
    }

    /** Takes the next batch from the queue, redacted; waits up to {@code flush_interval} for it to fill. */
    private List<CallRecord> nextBatch() throws InterruptedException {
        List<CallRecord> batch = new ArrayList<>();
        long bytes = 0;
        CallRecord first = carry;
        carry = null;
        if (first == null) {
            first = (CallRecord) (draining ? queue.poll() : queue.take());
            if (first == null) {
                return batch;
            }
        }
        lastBatchSize = 1;
        batch.add(redaction.apply(first));
        bytes += RecordSize.estimate(first);
        long deadline = System.nanoTime() + settings.flushInterval().toNanos();
        while (batch.size() < settings.batchSize() && bytes < settings.batchMaxBytes()) {
            long left = deadline - System.nanoTime();
            CallRecord next;
            try {
                next = (CallRecord) (draining || left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS));
            } catch (InterruptedException e) {
                // Shutdown began while the batch was filling: send what we have (never drop it), then drain.
                break;
            }
            if (next == null) {
                break;
            }
            long size = RecordSize.estimate(next);
            if (bytes + size > settings.batchMaxBytes()) {
                carry = next;
                break;
            }
            lastBatchSize++;
            batch.add(redaction.apply(next));
            bytes += size;
        }
        return List.copyOf(batch);
    }

    /** Exports one batch until it is delivered, permanently failed, or out of retry time. */
    private void deliver(List<CallRecord> batch) {
        List<CallRecord> remaining = batch;
        long started = System.nanoTime();
        Duration backoff = settings.retryInitialBackoff();
        boolean lastTry = draining;
        while (true) {
            Binding b = acquire();
            if (b == null) {
                settleDropped(remaining.size(), "no plugin served the lane before the shutdown deadline");
                return;
            }
            List<CallRecord> sending = remaining;
            Destination destination = (Destination) b.instance();
            long t0 = System.nanoTime();
            PluginInvoker.Outcome<ExportResult> outcome;
            try {
                outcome = b.invoker().call("export", settings.exportTimeout(), () -> destination.export(sending));
            } finally {
                release();
            }
            metrics.exportTime(System.nanoTime() - t0);
            ExportResult result = switch (outcome) {
                case PluginInvoker.Outcome.Ok<ExportResult> ok -> ok.value() == null
                        ? ExportResult.retryable("export returned null") : ok.value();
                case PluginInvoker.Outcome.Failed<ExportResult> f -> {
                    if (f.error() instanceof LinkageError) {
                        metrics.warnLimited(Level.ERROR, "plugin " + b.pluginId() + " is broken (" + f.message()
                                + "); check that it does not bundle plugin-api, pf4j or slf4j-api and that its lib/ is complete");
                    }
                    yield ExportResult.retryable(f.message());
                }
            };
            List<CallRecord> retry;
            Duration after;
            String reason;
            switch (result) {
                case ExportResult.Success s -> {
                    settleExported(sending.size());
                    return;
                }
                case ExportResult.Permanent p -> {
                    LOG.log(Level.WARNING, "lane ''{0}'': {1} record(s) rejected permanently: {2}", name, sending.size(), p.reason());
                    settleFailed(sending.size());
                    return;
                }
                case ExportResult.Retryable r -> {
                    retry = sending;
                    after = r.after();
                    reason = r.reason();
                }
                case ExportResult.Partial p -> {
                    retry = new ArrayList<>();
                    after = Duration.ZERO;
                    reason = "partial failure";
                    long delivered = 0;
                    long permanent = 0;
                    for (CallRecord rec : sending) {
                        ExportResult f = p.failures().get(rec.id());
                        if (f == null) {
                            delivered++;
                        } else if (f instanceof ExportResult.Retryable r) {
                            retry.add(rec);
                            after = after.compareTo(r.after()) >= 0 ? after : r.after();
                            reason = r.reason();
                        } else {
                            permanent++;
                            reason = ((ExportResult.Permanent) f).reason();
                        }
                    }
                    settleExported(delivered);
                    if (permanent > 0) {
                        LOG.log(Level.WARNING, "lane ''{0}'': {1} record(s) rejected permanently: {2}", name, permanent, reason);
                        settleFailed(permanent);
                    }
                    if (retry.isEmpty()) {
                        return;
                    }
                    retry = List.copyOf(retry);
                }
            }
            if (lastTry || draining) {
                LOG.log(Level.WARNING, "lane ''{0}'': {1} record(s) failed during shutdown: {2}", name, retry.size(), reason);
                settleFailed(retry.size());
                return;
            }
            Duration jittered = jitter(backoff);
            Duration wait = after.compareTo(jittered) > 0 ? after : jittered;
            long elapsed = System.nanoTime() - started;
            if (Duration.ofNanos(elapsed).plus(wait).compareTo(settings.maxRetryElapsed()) > 0) {
                LOG.log(Level.WARNING, "lane ''{0}'': giving up on {1} record(s) after {2} ms of retries (max_retry_elapsed): {3}",
                        name, retry.size(), TimeUnit.NANOSECONDS.toMillis(elapsed), reason);
                settleFailed(retry.size());
                return;
            }
            metrics.retried(retry.size());
            LOG.log(Level.DEBUG, "lane ''{0}'': retrying {1} record(s) in {2} ms: {3}", name, retry.size(), wait.toMillis(), reason);
            remaining = retry;
            backoff = backoff.multipliedBy(2).compareTo(settings.retryMaxBackoff()) > 0
                    ? settings.retryMaxBackoff() : backoff.multipliedBy(2);
            if (waitOrStop(wait)) {
                lastTry = true; // shutdown began: one more try, then give up
            }
        }
    }

    /** Backoff randomized by ±50%, so lanes that failed together do not retry together. */
    private static Duration jitter(Duration d) {
        long ms = d.toMillis();
        if (ms <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms + 1));
    }
}
