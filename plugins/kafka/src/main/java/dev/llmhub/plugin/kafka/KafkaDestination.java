package dev.llmhub.plugin.kafka;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.api.PluginMetrics;
import dev.llmhub.plugin.kit.OnceLogger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends each batch as one message per record and waits, within the export, for every send's outcome:
 * the producer's own timeouts are cut to fit in the core's {@code export_timeout}
 * ({@link KafkaSettings#waitLimit()}), so no message is still on its way when the export returns, and
 * each record gets its own result ({@link ExportResult.Partial}).
 *
 * <p>Translation and transport only: no queue, thread or retry of its own beyond the producer's
 * (which retries a send within {@code delivery.timeout.ms}, deduplicated by the broker for the
 * idempotent producer); the core's lane batches and retries what comes back retryable.
 */
final class KafkaDestination implements Destination {
    private final KafkaSettings settings;
    private final ProducerSlot producers;
    private final CallMessages messages;
    private final OnceLogger log;
    private final System.Logger logger;
    private final PluginMetrics.Counter rejected;
    private final AtomicBoolean failing = new AtomicBoolean();

    KafkaDestination(KafkaSettings settings, ProducerSlot producers, CallMessages messages, System.Logger logger,
                     PluginMetrics metrics) {
        this.settings = settings;
        this.producers = producers;
        this.messages = messages;
        this.logger = logger;
        this.log = new OnceLogger(logger);
        this.rejected = metrics.counter("messages_rejected",
                "call records Kafka refused for good (too large, not authorized), never retried");
    }

    @Override
    public ExportResult export(List<CallRecord> batch) {
        Producer<byte[], byte[]> producer;
        try {
            producer = producers.get();
        } catch (RuntimeException e) {
            // Making the producer resolves the bootstrap names: DNS may not know them yet.
            String reason = "cannot make a Kafka producer for " + settings.bootstrapForLog() + ": "
                    + settings.scrub(SendFailures.describe(e));
            failing.set(true);
            log.warn("create", reason + " (will retry)");
            return ExportResult.retryable(reason);
        }
        long deadline = System.nanoTime() + settings.waitLimit().toNanos();
        Map<String, ExportResult> failures = new HashMap<>();
        List<CallRecord> sent = new ArrayList<>(batch.size());
        List<Future<RecordMetadata>> pending = new ArrayList<>(batch.size());
        // Once a send says the broker cannot be reached, or that this producer is done for (refused
        // credentials, a fatal state), the rest of the batch would meet the same: it gets that result.
        ExportResult rest = null;
        boolean replace = false;
        for (CallRecord r : batch) {
            if (rest != null) {
                failures.put(r.id(), rest);
                if (rest instanceof ExportResult.Permanent) {
                    rejected.increment();
                }
                continue;
            }
            ProducerRecord<byte[], byte[]> message;
            try {
                message = messages.of(r);
            } catch (RuntimeException e) {
                failures.put(r.id(), rejected("cannot write the call record as JSON: " + e.getMessage(), "json"));
                continue;
            }
            Throwable error;
            try {
                Future<RecordMetadata> f = producer.send(message);
                // Done already only when it failed before being queued (no metadata within
                // max.block.ms, too large…), or succeeded very fast.
                error = f.isDone() ? failure(f) : null;
                if (error == null) {
                    sent.add(r);
                    pending.add(f);
                    continue;
                }
            } catch (RuntimeException e) { // a closed or failed producer, an interrupt
                error = e;
            }
            SendFailures.Outcome o = failed(error);
            failures.put(r.id(), o.result());
            replace |= o.replaceProducer();
            if (o.replaceProducer() || o.result() instanceof ExportResult.Retryable) {
                rest = o.result();
            }
        }
        for (int i = 0; i < pending.size(); i++) {
            String id = sent.get(i).id();
            try {
                pending.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                SendFailures.Outcome o = failed(e.getCause());
                failures.put(id, o.result());
                replace |= o.replaceProducer();
            } catch (java.util.concurrent.TimeoutException e) {
                // Only when the producer overran its own delivery.timeout.ms: should not happen.
                failures.put(id, ExportResult.retryable("no outcome from the Kafka producer within "
                        + settings.waitLimit().toMillis() + " ms"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                for (int j = i; j < pending.size(); j++) {
                    failures.put(sent.get(j).id(), ExportResult.retryable("the export was interrupted (timed out in the core)"));
                }
                break;
            }
        }
        if (replace) {
            // Only now: closing it earlier would fail this export's own sends still in flight.
            producers.replace(producer);
        }
        if (failures.isEmpty() && failing.compareAndSet(true, false)) {
            logger.log(System.Logger.Level.INFO, "Kafka at " + settings.bootstrapForLog() + " takes messages again");
            log.clear();
        }
        return summary(batch.size(), failures);
    }

    /** A batch that failed whole for one reason is that reason; otherwise each record has its own. */
    private static ExportResult summary(int size, Map<String, ExportResult> failures) {
        if (failures.size() == size && failures.values().stream().distinct().count() == 1) {
            return failures.values().iterator().next();
        }
        return ExportResult.partial(failures);
    }

    /** Classifies a failed send, counts and logs it (once per kind). */
    private SendFailures.Outcome failed(Throwable error) {
        SendFailures.Outcome o = SendFailures.classify(error, settings);
        if (o.result() instanceof ExportResult.Permanent p) {
            rejected(p.reason(), o.kind());
        } else {
            failing.set(true);
            log.warn(o.kind(), ((ExportResult.Retryable) o.result()).reason() + " (will retry)");
        }
        return o;
    }

    private ExportResult rejected(String reason, String kind) {
        rejected.increment();
        log.warn("rejected:" + kind, reason + ". Not retried; other records of the batch are not affected."
                + " Counted in llmhub_plugin_messages_rejected_total.");
        return ExportResult.permanent(reason);
    }

    private static Throwable failure(Future<RecordMetadata> done) {
        try {
            done.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    @Override
    public void close() {
        producers.close();
    }
}
