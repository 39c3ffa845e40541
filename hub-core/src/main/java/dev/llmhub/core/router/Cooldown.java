package dev.llmhub.core.router;

import java.time.Duration;

/**
 * A deployment's failures within a minute (counted from the first one) and, once more than
 * {@code allowed_fails} happened, the time until which the router skips it. The same rules as the
 * shared copy in Redis ({@code fail.lua}), for when a replica counts alone.
 */
final class Cooldown {
    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    private long windowStart;
    private int fails;
    private boolean cooling;
    private long until;

    /**
     * Counts one failure.
     *
     * @param now     {@link System#nanoTime()}
     * @param allowed failures allowed within a minute
     * @param time    how long to cool down once past them
     * @return whether this failure started a cooldown
     */
    synchronized boolean fail(long now, int allowed, Duration time) {
        if (fails == 0 || now - windowStart >= MINUTE_NANOS) {
            windowStart = now;
            fails = 0;
        }
        fails++;
        if (fails > allowed && time.isPositive()) {
            cooling = true;
            until = now + time.toNanos();
            return true;
        }
        return false;
    }

    /** @param now {@link System#nanoTime()} @return nanoseconds left to cool down, 0 when not cooling */
    synchronized long remaining(long now) {
        if (cooling && until - now > 0) {
            return until - now;
        }
        cooling = false;
        return 0;
    }
}
