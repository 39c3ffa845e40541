package dev.llmhub.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a call or an attempt failed, as the client saw it (OpenAI error vocabulary).
 *
 * @param type          error type, e.g. {@code rate_limit_error}, {@code timeout}, {@code upstream_error},
 *                      {@code invalid_request_error}
 * @param message       human-readable message; never contains a secret
 * @param httpStatus    HTTP status the client received (or the upstream returned, for an attempt)
 * @param providerCode  the provider's own error code, when it sent one
 * @param retryable     whether retrying the same request could succeed
 */
public record CallError(String type, String message, Optional<Integer> httpStatus,
                        Optional<String> providerCode, boolean retryable) {
    public CallError {
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(message, "message is null");
        Objects.requireNonNull(httpStatus, "httpStatus is null");
        Objects.requireNonNull(providerCode, "providerCode is null");
    }

    /** Leaves the message out: a provider's error text can quote the request it refused. */
    @Override
    public String toString() {
        return "CallError[type=" + type + ", httpStatus=" + httpStatus.map(String::valueOf).orElse("-")
                + ", retryable=" + retryable + "]";
    }
}
