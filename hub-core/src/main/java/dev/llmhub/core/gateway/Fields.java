package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Predicate;

/** Type checks of request body fields, each failing with a 400 that names the field. */
final class Fields {
    private final ObjectNode body;

    Fields(ObjectNode body) {
        this.body = body;
    }

    void model() {
        JsonNode model = required("model");
        if (!model.isTextual() || model.asText().isBlank()) {
            throw bad("model", "'model' must be a non-empty string");
        }
    }

    void bool(String f) {
        expect(f, JsonNode::isBoolean, "true or false");
    }

    void object(String f) {
        expect(f, JsonNode::isObject, "an object");
    }

    void array(String f) {
        expect(f, JsonNode::isArray, "an array");
    }

    void string(String f) {
        expect(f, JsonNode::isTextual, "a string");
    }

    void number(String f) {
        expect(f, JsonNode::isNumber, "a number");
    }

    /** A whole number, also when written with a fraction of zero ({@code 3.0}). */
    void integer(String f) {
        expect(f, v -> v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble()), "an integer");
    }

    void positiveInteger(String f, boolean required) {
        JsonNode v = required ? required(f) : body.get(f);
        if (v == null || v.isNull()) {
            return;
        }
        integer(f);
        if (v.asLong() < 1) {
            throw bad(f, "'" + f + "' must be at least 1");
        }
    }

    /** @return the field's value: absent or null is refused as missing */
    JsonNode required(String f) {
        JsonNode v = body.get(f);
        if (v == null || v.isNull()) {
            throw bad(f, "'" + f + "' is required");
        }
        return v;
    }

    /** An absent or null field passes: only a present value of another type is refused. */
    private void expect(String f, Predicate<JsonNode> type, String what) {
        JsonNode v = body.get(f);
        if (v != null && !v.isNull() && !type.test(v)) {
            throw bad(f, "'" + f + "' must be " + what);
        }
    }

    static ApiException bad(String param, String message) {
        return new ApiException(ApiError.invalid(param, message));
    }
}
