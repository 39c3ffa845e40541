package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.core.provider.Json;
import java.util.Set;

/**
 * Errors as Anthropic's API sends them, for clients of {@code /v1/messages}:
 * {@code {"type": "error", "error": {"type": "...", "message": "..."}}}, with Anthropic's error types
 * and its 529 for an overloaded upstream.
 */
public final class AnthropicErrors {
    private static final Set<String> TYPES = Set.of("invalid_request_error", "authentication_error", "billing_error",
            "permission_error", "not_found_error", "request_too_large", "rate_limit_error", "timeout_error",
            "api_error", "overloaded_error");

    private AnthropicErrors() {
    }

    /** @return the HTTP status to send: the error's own, 529 when the upstream was overloaded */
    public static int status(ApiError e) {
        return type(e).equals("overloaded_error") ? 529 : e.status();
    }

    /** @return Anthropic's error type: the upstream's own when it was Anthropic, else the status's */
    public static String type(ApiError e) {
        String code = e.code().orElse("");
        if (TYPES.contains(code)) {
            return code;
        }
        return switch (e.status()) {
            case 400, 405, 409, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 408, 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    /** @return the error body (also the data of a stream's {@code error} event) */
    public static ObjectNode body(ApiError e) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("type", "error");
        root.putObject("error").put("type", type(e)).put("message", e.message());
        return root;
    }
}
