package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallError;
import dev.llmhub.core.provider.Json;
import dev.llmhub.core.provider.UpstreamException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An error as the client receives it: an HTTP status and OpenAI's body
 * {@code {"error": {"message", "type", "param", "code"}}}.
 *
 * @param status     HTTP status
 * @param type       OpenAI error type
 * @param message    readable, secret-free
 * @param param      the request field at fault, when one is
 * @param code       a machine-readable code, when one fits
 * @param retryAfter the Retry-After to send, when one applies
 */
public record ApiError(int status, String type, String message, Optional<String> param, Optional<String> code,
                       Optional<Duration> retryAfter) {
    public ApiError {
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(message, "message is null");
        Objects.requireNonNull(param, "param is null");
        Objects.requireNonNull(code, "code is null");
        Objects.requireNonNull(retryAfter, "retryAfter is null");
    }

    /** A 400 about one request field. */
    public static ApiError invalid(String param, String message) {
        return new ApiError(400, "invalid_request_error", message, Optional.ofNullable(param), Optional.empty(),
                Optional.empty());
    }

    /** Any status, OpenAI's type for it. */
    public static ApiError of(int status, String message, String code) {
        return new ApiError(status, UpstreamException.typeFor(status), message, Optional.empty(),
                Optional.ofNullable(code), Optional.empty());
    }

    /** What the client sees for an upstream failure. */
    public static ApiError from(UpstreamException e) {
        return new ApiError(e.status(), e.type(), e.getMessage(), Optional.empty(), e.providerCode(), e.retryAfter());
    }

    /** @return the body to send */
    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param.isPresent()) {
            error.put("param", param.get());
        } else {
            error.putNull("param");
        }
        if (code.isPresent()) {
            error.put("code", code.get());
        } else {
            error.put("code", String.valueOf(status));
        }
        return root;
    }

    /** @return this error in a call record */
    public CallError toCallError() {
        return new CallError(type, message, Optional.of(status), code, UpstreamException.retryableStatus(status));
    }
}
