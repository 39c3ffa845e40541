package dev.llmhub.plugin.langfuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads decoded OTLP spans the way the tests compare them with Langfuse's mapping table, and counts encoded ones. */
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

    /**
     * Counts the spans of an encoded {@code ExportTraceServiceRequest} by walking its wire format (request
     * field 1 {@code resource_spans}, its field 2 {@code scope_spans}, their field 2 {@code spans}) without
     * decoding a span: for a benchmark's receiver that counts every request and decodes only some.
     *
     * @param request the request's bytes
     * @return how many spans it holds
     * @throws IOException when the bytes are not a well-formed protobuf message
     */
    public static long count(byte[] request) throws IOException {
        return countNested(CodedInputStream.newInstance(request), 0);
    }

    /** depth 0: the request, 1: a ResourceSpans, 2: a ScopeSpans (whose field 2 are the spans). */
    private static long countNested(CodedInputStream in, int depth) throws IOException {
        long n = 0;
        int wanted = depth == 0 ? 1 : 2;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) != wanted || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                in.skipField(tag);
            } else if (depth == 2) {
                in.skipField(tag);
                n++;
            } else {
                int limit = in.pushLimit(in.readRawVarint32());
                n += countNested(in, depth + 1);
                in.popLimit(limit);
            }
        }
        return n;
    }
}
