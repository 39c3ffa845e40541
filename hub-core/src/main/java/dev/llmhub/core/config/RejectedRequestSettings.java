package dev.llmhub.core.config;

/**
 * {@code general_settings.rejected_requests}: whether requests the proxy refuses before serving them
 * (wrong key, unreadable or invalid body, too large, unknown route, its own rate limits) become call
 * records, and how many a second at most, so a flood of bad requests cannot crowd out good records.
 *
 * @param record       {@code record}: false makes none (each is counted as skipped)
 * @param maxPerSecond {@code max_per_second}: the most such records a second; the rest are counted
 *                     as skipped
 */
public record RejectedRequestSettings(boolean record, int maxPerSecond) {
    /** The documented default of {@code max_per_second}. */
    public static final int DEFAULT_MAX_PER_SECOND = 50;

    public RejectedRequestSettings {
        if (maxPerSecond < 1) {
            throw new IllegalArgumentException("maxPerSecond must be at least 1");
        }
    }

    /** @return {@code record: true, max_per_second: 50} */
    public static RejectedRequestSettings defaults() {
        return new RejectedRequestSettings(true, DEFAULT_MAX_PER_SECOND);
    }
}
