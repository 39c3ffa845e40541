package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;

/**
 * Checks the fields the proxy itself relies on, and the types of the common OpenAI parameters, so a
 * wrong request gets a precise 400 naming the field instead of a confusing upstream error.
 */
final class RequestValidator {
    private RequestValidator() {
    }

    static void validate(CallType type, ObjectNode body) {
        Fields f = new Fields(body);
        f.model();
        switch (type) {
            case CHAT -> messages(f.required("messages"));
            case COMPLETION -> textOrArray(f.required("prompt"), "prompt", true);
            case EMBEDDING -> textOrArray(f.required("input"), "input", false);
            default -> throw new IllegalArgumentException("not an OpenAI chat, completion or embedding call: " + type);
        }
        f.bool("stream");
        f.bool("no-log");
        f.object("metadata");
        f.object("stream_options");
        f.string("user");
        for (String n : new String[] {"temperature", "top_p", "presence_penalty", "frequency_penalty"}) {
            f.number(n);
        }
        for (String n : new String[] {"n", "max_tokens", "max_completion_tokens", "seed", "dimensions"}) {
            f.integer(n);
        }
        JsonNode stop = body.get("stop");
        if (stop != null && !stop.isNull() && !stop.isTextual() && !stop.isArray()) {
            throw bad("stop", "'stop' must be a string or an array of strings");
        }
        JsonNode mock = body.get("mock_response");
        if (mock != null && !mock.isNull() && !mock.isTextual()) {
            throw bad("mock_response", "'mock_response' must be a string");
        }
        if (type == CallType.EMBEDDING && body.path("stream").asBoolean(false)) {
            throw bad("stream", "embeddings cannot be streamed");
        }
    }

    private static void messages(JsonNode messages) {
        if (!messages.isArray()) {
            throw bad("messages", "'messages' must be an array of message objects");
        }
        if (messages.isEmpty()) {
            throw bad("messages", "'messages' must contain at least one message");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw bad("messages[" + i + "]", "messages[" + i + "] must be an object");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || role.asText().isBlank()) {
                throw bad("messages[" + i + "].role", "messages[" + i + "].role must be a non-empty string");
            }
            JsonNode content = m.get("content");
            if (content != null && !content.isNull() && !content.isTextual() && !content.isArray()) {
                throw bad("messages[" + i + "].content", "messages[" + i + "].content must be a string or an array of content parts");
            }
        }
    }

    private static void textOrArray(JsonNode v, String field, boolean allowEmptyString) {
        if (!v.isTextual() && !v.isArray()) {
            throw bad(field, "'" + field + "' must be a string or an array");
        }
        if (!allowEmptyString && (v.isTextual() && v.asText().isEmpty() || v.isArray() && v.isEmpty())) {
            throw bad(field, "'" + field + "' must not be empty");
        }
    }

    private static ApiException bad(String param, String message) {
        return Fields.bad(param, message);
    }
}
