package dev.llmhub.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the router retries and times out ({@code router_settings}, with LiteLLM's
 * {@code litellm_settings} equivalents as fallbacks).
 *
 * @param numRetries  extra tries after the first one fails with 429, 5xx, a timeout or a connect error
 * @param timeout     default upstream timeout per try, when a deployment sets none
 * @param retryAfter  minimum wait before retrying the same deployment (another deployment is tried at once)
 * @param maxBackoff  upper bound of the exponential backoff and of an upstream's Retry-After we honour
 */
public record RouterSettings(int numRetries, Duration timeout, Duration retryAfter, Duration maxBackoff) {
    public RouterSettings {
        Objects.requireNonNull(timeout, "timeout is null");
        Objects.requireNonNull(retryAfter, "retryAfter is null");
        Objects.requireNonNull(maxBackoff, "maxBackoff is null");
        if (numRetries < 0) {
            throw new IllegalArgumentException("numRetries must not be negative");
        }
    }

    /** LiteLLM's defaults: 2 retries, 600 s timeout. */
    public static RouterSettings defaults() {
        return new RouterSettings(2, Duration.ofSeconds(600), Duration.ZERO, Duration.ofSeconds(10));
    }
}
