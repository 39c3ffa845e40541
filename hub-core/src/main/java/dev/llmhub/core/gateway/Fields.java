package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Type checks of request body fields, each failing with a 400 that names the field. */
final class Fields {
    private final ObjectNode body;

    Fields(ObjectNode body) {
        this.body = body;
    }

    void model() {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            throw bad("model", "'model' is required");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw bad("model", "'model' must be a non-empty string");
        }
    }

    void bool(String f) {
        JsonNode v = body.get(f);
        if (v != null && !v.isNull() && !v.isBoolean()) {
            throw bad(f, "'" + f + "' must be true or false");
        }
    }

    void object(String f) {
        JsonNode v = body.get(f);
        if (v != null && !v.isNull() && !v.isObject()) {
            throw bad(f, "'" + f + "' must be an object");
        }
    }

    void array(String f) {
        JsonNode v = body.get(f);
        if (v != null && !v.isNull() && !v.isArray()) {
            throw bad(f, "'" + f + "' must be an array");
        }
    }

    void string(String f) {
        JsonNode v = body.get(f);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw bad(f, "'" + f + "' must be a string");
        }
    }

    void number(String f) {
        JsonNode v = body.get(f);
        if (v != null && !v.isNull() && !v.isNumber()) {
            throw bad(f, "'" + f + "' must be a number");
        }
    }

    void integer(String f) {
        JsonNode v = body.get(f);
        if (v != null && !v.isNull() && !(v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            throw bad(f, "'" + f + "' must be an integer");
        }
    }

    void positiveInteger(String f, boolean required) {
        JsonNode v = body.get(f);
        if (v == null || v.isNull()) {
            if (required) {
                throw bad(f, "'" + f + "' is required");
            }
            return;
        }
        integer(f);
        if (v.asLong() < 1) {
            throw bad(f, "'" + f + "' must be at least 1");
        }
    }

    static ApiException bad(String param, String message) {
        return new ApiException(ApiError.invalid(param, message));
    }
}
