package dev.llmhub.plugin.otel;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small readers for the received protos. */
public final class Otlp {
    private Otlp() {
    }

    public static String hex(com.google.protobuf.ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    public static Map<String, AnyValue> attributes(List<KeyValue> list) {
        Map<String, AnyValue> out = new LinkedHashMap<>();
        list.forEach(kv -> out.put(kv.getKey(), kv.getValue()));
        return out;
    }

    public static Map<String, AnyValue> attributes(Span span) {
        return attributes(span.getAttributesList());
    }

    public static String string(Span span, String key) {
        AnyValue v = attributes(span).get(key);
        if (v == null || !v.hasStringValue()) {
            throw new AssertionError(key + " is not a string attribute of " + span.getName() + ": " + v);
        }
        return v.getStringValue();
    }

    public static long integer(Span span, String key) {
        AnyValue v = attributes(span).get(key);
        if (v == null || !v.hasIntValue()) {
            throw new AssertionError(key + " is not an int attribute of " + span.getName() + ": " + v);
        }
        return v.getIntValue();
    }

    public static double dbl(Span span, String key) {
        AnyValue v = attributes(span).get(key);
        if (v == null || !v.hasDoubleValue()) {
            throw new AssertionError(key + " is not a double attribute of " + span.getName() + ": " + v);
        }
        return v.getDoubleValue();
    }

    public static List<String> strings(Span span, String key) {
        AnyValue v = attributes(span).get(key);
        if (v == null || !v.hasArrayValue() || !v.getArrayValue().getValuesList().stream().allMatch(AnyValue::hasStringValue)) {
            throw new AssertionError(key + " is not a string array attribute of " + span.getName() + ": " + v);
        }
        return v.getArrayValue().getValuesList().stream().map(AnyValue::getStringValue).toList();
    }
}
