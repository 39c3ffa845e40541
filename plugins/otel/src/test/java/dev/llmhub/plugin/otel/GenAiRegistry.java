package dev.llmhub.plugin.otel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The attribute types of the GenAI registry (a verbatim copy of semantic-conventions v1.41.1 in the test
 * resources), plus the three general attributes the GenAI spans use from the core registry.
 */
final class GenAiRegistry {
    private final Map<String, String> types = new HashMap<>();

    GenAiRegistry() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (InputStream in = GenAiRegistry.class.getResourceAsStream("/otel-genai/registry.yaml")) {
            JsonNode root = yaml.readTree(in);
            for (JsonNode group : root.get("groups")) {
                for (JsonNode attr : group.path("attributes")) {
                    JsonNode type = attr.get("type");
                    // An enum ("members") is a string attribute with well-known values.
                    types.put(attr.get("id").asText(), type.isTextual() ? type.asText() : "string");
                }
            }
        }
        types.put("server.address", "string");
        types.put("server.port", "int");
        types.put("error.type", "string");
    }

    boolean knows(String key) {
        return types.containsKey(key);
    }

    String type(String key) {
        return types.get(key);
    }

    /** @return whether the received value has the registry's type ({@code any} is a JSON string in Java) */
    boolean matches(String key, AnyValue v) {
        return switch (types.get(key)) {
            case "string", "any" -> v.hasStringValue();
            case "int" -> v.hasIntValue();
            case "double" -> v.hasDoubleValue();
            case "boolean" -> v.hasBoolValue();
            case "string[]" -> v.hasArrayValue() && v.getArrayValue().getValuesList().stream().allMatch(AnyValue::hasStringValue);
            default -> false;
        };
    }
}
