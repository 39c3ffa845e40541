package dev.llmhub.api;

import java.util.List;

/**
 * Ships call records somewhere: translation and transport only.
 *
 * <p>The core owns everything around a destination — the bounded queue, batching, concurrency,
 * retries with backoff, per-export timeouts, metrics and shutdown drain — so an implementation must
 * not queue, sleep, retry or start threads of its own (nor use an SDK's batch processor that does).
 * It turns a batch into its wire format, sends it once, and says what happened.
 *
 * <p>{@link #export} may be called from several threads at once when the lane is configured with
 * more than one concurrent export; the batch it receives is owned by the callee and never changed
 * afterwards.
 */
public interface Destination extends AutoCloseable {

    /**
     * Sends one batch, once.
     *
     * @param batch records to send, already redacted for this destination; never empty
     * @return what happened; an exception thrown here is treated as a retryable failure
     */
    ExportResult export(List<CallRecord> batch);

    /**
     * Releases what the destination holds (connections, SDK threads). Called once, after the last
     * export, before the plugin is unloaded: anything left running keeps the plugin's class loader
     * alive.
     */
    @Override
    default void close() {
    }
}
