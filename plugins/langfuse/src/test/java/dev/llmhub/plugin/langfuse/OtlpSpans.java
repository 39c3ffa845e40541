package dev.llmhub.plugin.langfuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads decoded OTLP spans the way the tests compare them with Langfuse's mapping table. */
public final class OtlpSpans {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OtlpSpans() {
    }

    public static Map<String, AnyValue> attributes(Span span) {
        Map<String, AnyValue> m = new LinkedHashMap<>();
        for (KeyValue kv : span.getAttributesList()) {
            if (m.put(kv.getKey(), kv.getValue()) != null) {
                throw new AssertionError("attribute written twice: " + kv.getKey());
            }
        }
        return m;
    }

    public static String string(Span span, String key) {
        AnyValue v = attributes(span).get(key);
        if (v == null) {
            throw new AssertionError("no attribute " + key + " on span " + span.getName() + "; has " + attributes(span).keySet());
        }
        return v.getStringValue();
    }

    public static JsonNode json(Span span, String key) {
        try {
            return JSON.readTree(string(span, key));
        } catch (Exception e) {
            throw new AssertionError(key + " is not JSON", e);
        }
    }

    public static List<String> strings(Span span, String key) {
        return attributes(span).get(key).getArrayValue().getValuesList().stream().map(AnyValue::getStringValue).toList();
    }

    public static String traceId(Span span) {
        return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    public static String spanId(Span span) {
        return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    public static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }
}
