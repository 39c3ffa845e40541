package dev.llmhub.core.delivery;

import dev.llmhub.core.config.LaneTuning;
import dev.llmhub.core.journal.StartFrom;
import java.time.Duration;

/**
 * How one lane batches, exports and retries: the user's {@code callback_settings.<name>} lane keys
 * over the defaults of the lane's kind. Documented in {@code docs/pipeline.md}.
 *
 * @param batchSize            most records per export (1 for a handler)
 * @param batchMaxBytes        most encoded bytes per export
 * @param flushInterval        longest a record waits for its batch to fill
 * @param maxConcurrentExports exports in flight at once (1 for a handler, to keep order)
 * @param exportTimeout        limit for one export or hook call
 * @param maxRetryElapsed      give a batch up after retrying this long; zero = never (the journal holds it)
 * @param retryInitialBackoff  first backoff, doubled per retry
 * @param retryMaxBackoff      backoff cap
 * @param drainTimeout         how long a stop waits for exports in flight (and, without a journal on
 *                             disk, for the lane to empty)
 * @param eventQueueSize       a handler's in-memory queue of pre-call, post-call and stream events
 * @param messageLogging       false replaces message and response text for this lane
 * @param startFrom            where a new cursor starts
 */
public record LaneSettings(int batchSize, long batchMaxBytes, Duration flushInterval, int maxConcurrentExports,
                           Duration exportTimeout, Duration maxRetryElapsed, Duration retryInitialBackoff,
                           Duration retryMaxBackoff, Duration drainTimeout, int eventQueueSize,
                           boolean messageLogging, StartFrom startFrom) {

    /** Defaults for a destination lane. */
    public static final LaneSettings DESTINATION_DEFAULTS = new LaneSettings(512, 4L << 20, Duration.ofSeconds(1), 2,
            Duration.ofSeconds(30), Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofSeconds(10), 10_000, true, StartFrom.HEAD);

    /** Defaults for a callback handler lane (one event at a time, in order, not retried). */
    public static final LaneSettings HANDLER_DEFAULTS = new LaneSettings(1, 4L << 20, Duration.ZERO, 1,
            Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10), 10_000, true,
            StartFrom.HEAD);

    /**
     * @param kind   the lane's kind
     * @param tuning what the user set
     * @return the settings; a handler's batch size and concurrency stay 1 whatever was set
     */
    public static LaneSettings of(LaneKind kind, LaneTuning tuning) {
        LaneSettings d = kind == LaneKind.HANDLER ? HANDLER_DEFAULTS : DESTINATION_DEFAULTS;
        boolean handler = kind == LaneKind.HANDLER;
        return new LaneSettings(
                handler ? 1 : tuning.batchSize().orElse(d.batchSize),
                tuning.batchMaxBytes().orElse(d.batchMaxBytes),
                tuning.flushInterval().orElse(d.flushInterval),
                handler ? 1 : tuning.maxConcurrentExports().orElse(d.maxConcurrentExports),
                tuning.exportTimeout().orElse(d.exportTimeout),
                tuning.maxRetryElapsed().orElse(d.maxRetryElapsed),
                tuning.retryInitialBackoff().orElse(d.retryInitialBackoff),
                tuning.retryMaxBackoff().orElse(d.retryMaxBackoff),
                tuning.drainTimeout().orElse(d.drainTimeout),
                tuning.queueSize().orElse(d.eventQueueSize),
                tuning.messageLogging().orElse(d.messageLogging),
                tuning.startFrom().map(s -> s == LaneTuning.StartPosition.EARLIEST ? StartFrom.EARLIEST : StartFrom.HEAD)
                        .orElse(d.startFrom));
    }

    /** @return whether retries of a batch are given up after {@link #maxRetryElapsed()} */
    public boolean retryIsBounded() {
        return !maxRetryElapsed.isZero();
    }
}
