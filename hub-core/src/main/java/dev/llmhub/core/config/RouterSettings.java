package dev.llmhub.core.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the router retries, times out, cools failing deployments down and where it counts
 * ({@code router_settings}, with LiteLLM's {@code litellm_settings} equivalents as fallbacks).
 *
 * @param numRetries    extra tries after the first one fails with 429, 5xx, a timeout or a connect error
 * @param timeout       default upstream timeout per try, when a deployment sets none
 * @param retryAfter    minimum wait before retrying the same deployment (another deployment is tried at once)
 * @param maxBackoff    upper bound of the exponential backoff and of an upstream's Retry-After we honour
 * @param allowedFails  failures a deployment may have within a minute before it cools down
 * @param cooldownTime  how long a cooling deployment is skipped
 * @param cooldowns     false when {@code disable_cooldowns} is set
 * @param redis         where replicas share rpm/tpm windows and cooldowns; empty: each counts alone
 */
public record RouterSettings(int numRetries, Duration timeout, Duration retryAfter, Duration maxBackoff,
                             int allowedFails, Duration cooldownTime, boolean cooldowns,
                             Optional<RedisSettings> redis) {
    /** LiteLLM's defaults for {@code allowed_fails} and {@code cooldown_time}. */
    public static final int DEFAULT_ALLOWED_FAILS = 3;
    public static final Duration DEFAULT_COOLDOWN_TIME = Duration.ofSeconds(5);

    public RouterSettings {
        Objects.requireNonNull(timeout, "timeout is null");
        Objects.requireNonNull(retryAfter, "retryAfter is null");
        Objects.requireNonNull(maxBackoff, "maxBackoff is null");
        Objects.requireNonNull(cooldownTime, "cooldownTime is null");
        Objects.requireNonNull(redis, "redis is null");
        if (numRetries < 0) {
            throw new IllegalArgumentException("numRetries must not be negative");
        }
        if (allowedFails < 0) {
            throw new IllegalArgumentException("allowedFails must not be negative");
        }
    }

    /** LiteLLM's defaults: 2 retries, 600 s timeout, 3 allowed fails, 5 s cooldown; no Redis. */
    public static RouterSettings defaults() {
        return new RouterSettings(2, Duration.ofSeconds(600), Duration.ZERO, Duration.ofSeconds(10),
                DEFAULT_ALLOWED_FAILS, DEFAULT_COOLDOWN_TIME, true, Optional.empty());
    }
}
