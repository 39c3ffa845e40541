package dev.llmhub.core.provider;

import dev.llmhub.api.CallError;
import java.time.Duration;
import java.util.Optional;

/**
 * An upstream try failed, already in OpenAI's error vocabulary. Messages never contain secrets:
 * the provider's text is scrubbed of anything key-like before it gets here.
 */
public final class UpstreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final transient Optional<String> providerCode;
    private final boolean retryable;
    private final transient Optional<Duration> retryAfter;

    /**
     * @param status       HTTP status the client should see
     * @param type         OpenAI error type ({@code rate_limit_error}, {@code timeout}, {@code api_error}…)
     * @param message      human-readable, secret-free
     * @param providerCode the provider's own {@code error.code}, when sent
     * @param retryable    whether another try (here or on another deployment) could succeed
     * @param retryAfter   the upstream's Retry-After, when sent
     */
    public UpstreamException(int status, String type, String message, Optional<String> providerCode,
                             boolean retryable, Optional<Duration> retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.providerCode = providerCode;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public Optional<String> providerCode() {
        return providerCode;
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** @return this failure as a record's error */
    public CallError toCallError() {
        return new CallError(type, getMessage(), Optional.of(status), providerCode, retryable);
    }

    /** @return whether an HTTP status is worth another try: 408, 409, 429 and 5xx */
    public static boolean retryableStatus(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /** @return OpenAI's error type for an HTTP status */
    public static String typeFor(int status) {
        return switch (status) {
            case 400, 404, 405, 409, 413, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 408 -> "timeout";
            case 429 -> "rate_limit_error";
            default -> "api_error";
        };
    }
}
