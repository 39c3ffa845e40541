package dev.llmhub.core.delivery;

import dev.llmhub.api.PluginConfigException;
import dev.llmhub.api.PluginSettings;
import java.time.Duration;

/**
 * How one lane queues, batches, exports and retries: read from {@code callback_settings.<name>}
 * (the plugin sees the same map and ignores these keys). Documented in {@code docs/pipeline.md}.
 *
 * @param queueSize            {@code queue_size}: records held before the oldest is dropped
 * @param batchSize            {@code batch_size}: most records per export
 * @param batchMaxBytes        {@code batch_max_bytes}: most (estimated JSON) bytes per export
 * @param flushInterval        {@code flush_interval}: longest a record waits for its batch to fill
 * @param maxConcurrentExports {@code max_concurrent_exports}: exports in flight at once
 * @param exportTimeout        {@code export_timeout}: limit for one export (or one handler hook)
 * @param maxRetryElapsed      {@code max_retry_elapsed}: give a batch up after retrying this long
 * @param retryInitialBackoff  {@code retry_initial_backoff}: first backoff, doubled per retry
 * @param retryMaxBackoff      {@code retry_max_backoff}: backoff cap
 * @param drainTimeout         {@code drain_timeout}: how long shutdown waits for the lane to empty
 * @param messageLogging       {@code message_logging}: false replaces message and response text
 */
public record LaneSettings(int queueSize, int batchSize, long batchMaxBytes, Duration flushInterval,
                           int maxConcurrentExports, Duration exportTimeout, Duration maxRetryElapsed,
                           Duration retryInitialBackoff, Duration retryMaxBackoff, Duration drainTimeout,
                           boolean messageLogging) {

    /** Defaults for a destination lane. */
    public static final LaneSettings DESTINATION_DEFAULTS = new LaneSettings(10_000, 512, 4L << 20,
            Duration.ofSeconds(1), 2, Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(10), true);

    /** Defaults for a callback handler lane (one event per call, in order). */
    public static final LaneSettings HANDLER_DEFAULTS = new LaneSettings(10_000, 1, 4L << 20,
            Duration.ZERO, 1, Duration.ofSeconds(10), Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10), true);

    /**
     * @param name     the destination name, for messages
     * @param s        {@code callback_settings.<name>}
     * @param defaults what unset keys take
     * @return the lane settings
     * @throws PluginConfigException naming the key when a value is wrong
     */
    public static LaneSettings from(String name, PluginSettings s, LaneSettings defaults) {
        String p = "callback_settings." + name + ".";
        return new LaneSettings(
                positive(p, s, "queue_size", defaults.queueSize),
                positive(p, s, "batch_size", defaults.batchSize),
                s.number("batch_max_bytes").map(v -> check(p, "batch_max_bytes", v, 1)).orElse(defaults.batchMaxBytes),
                duration(p, s, "flush_interval", defaults.flushInterval, false),
                positive(p, s, "max_concurrent_exports", defaults.maxConcurrentExports),
                duration(p, s, "export_timeout", defaults.exportTimeout, true),
                duration(p, s, "max_retry_elapsed", defaults.maxRetryElapsed, false),
                duration(p, s, "retry_initial_backoff", defaults.retryInitialBackoff, false),
                duration(p, s, "retry_max_backoff", defaults.retryMaxBackoff, false),
                duration(p, s, "drain_timeout", defaults.drainTimeout, false),
                s.bool("message_logging").orElse(defaults.messageLogging));
    }

    private static int positive(String p, PluginSettings s, String key, int dflt) {
        return s.number(key).map(v -> (int) check(p, key, Math.min(v, Integer.MAX_VALUE), 1)).orElse(dflt);
    }

    private static long check(String p, String key, long v, long min) {
        if (v < min) {
            throw new PluginConfigException(p + key + ": expected a whole number >= " + min + ", got " + v);
        }
        return v;
    }

    private static Duration duration(String p, PluginSettings s, String key, Duration dflt, boolean mustBePositive) {
        Duration d = s.duration(key).orElse(dflt);
        if (d.isNegative() || (mustBePositive && d.isZero())) {
            throw new PluginConfigException(p + key + ": expected a " + (mustBePositive ? "positive" : "non-negative")
                    + " duration such as 500ms, 5s or 2m");
        }
        return d;
    }

}
