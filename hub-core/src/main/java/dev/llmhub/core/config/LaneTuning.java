package dev.llmhub.core.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The lane keys a user set in {@code callback_settings.<name>}, validated by the loader (so a wrong
 * value is reported with file and line); unset keys take the lane kind's defaults. The plugin sees
 * the same map and ignores these keys. Meanings in {@code docs/pipeline.md}.
 *
 * @param batchSize            {@code batch_size}
 * @param batchMaxBytes        {@code batch_max_bytes}
 * @param flushInterval        {@code flush_interval}
 * @param maxConcurrentExports {@code max_concurrent_exports}
 * @param exportTimeout        {@code export_timeout}
 * @param maxRetryElapsed      {@code max_retry_elapsed} (0 = retry until the journal lets go)
 * @param retryInitialBackoff  {@code retry_initial_backoff}
 * @param retryMaxBackoff      {@code retry_max_backoff}
 * @param drainTimeout         {@code drain_timeout}
 * @param queueSize            {@code queue_size}: a callback handler's in-memory event queue
 * @param messageLogging       {@code message_logging}
 * @param startFrom            {@code start_from}: {@code head} or {@code earliest}, for a new cursor
 */
public record LaneTuning(OptionalInt batchSize, OptionalLong batchMaxBytes, Optional<Duration> flushInterval,
                         OptionalInt maxConcurrentExports, Optional<Duration> exportTimeout,
                         Optional<Duration> maxRetryElapsed, Optional<Duration> retryInitialBackoff,
                         Optional<Duration> retryMaxBackoff, Optional<Duration> drainTimeout, OptionalInt queueSize,
                         Optional<Boolean> messageLogging, Optional<StartPosition> startFrom) {

    /** Every key unset. */
    public static final LaneTuning NONE = new LaneTuning(OptionalInt.empty(), OptionalLong.empty(), Optional.empty(),
            OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty());

    /** The keys that belong to the lane, not to the plugin. */
    public static final Set<String> KEYS = Set.of("batch_size", "batch_max_bytes", "flush_interval",
            "max_concurrent_exports", "export_timeout", "max_retry_elapsed", "retry_initial_backoff",
            "retry_max_backoff", "drain_timeout", "queue_size", "message_logging", "start_from");

    /** Where a destination's new cursor starts. */
    public enum StartPosition {
        /** only calls from now on */
        HEAD,
        /** everything the journal still holds */
        EARLIEST
    }
}
