package dev.llmhub.plugin.langfuse;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes generations as one OTLP {@code ExportTraceServiceRequest}: one span per record carrying the
 * attributes Langfuse's OTel ingestion reads (its mapping table). Where Langfuse reads both a
 * {@code langfuse.*} key and an OTel GenAI key, both are written with the same value, so any OTLP
 * consumer reading the GenAI conventions sees the same call.
 */
final class OtlpEncoder {
    /** Instrumentation scope name; not {@code langfuse-sdk*}, so Langfuse keeps extra attributes as metadata. */
    static final String SCOPE = "llmhub";
    /** OTel GenAI request attributes written for the matching request parameter. */
    private static final Map<String, String> GEN_AI_REQUEST = Map.of(
            "temperature", "gen_ai.request.temperature",
            "max_tokens", "gen_ai.request.max_tokens",
            "max_completion_tokens", "gen_ai.request.max_tokens",
            "top_p", "gen_ai.request.top_p",
            "top_k", "gen_ai.request.top_k",
            "seed", "gen_ai.request.seed",
            "frequency_penalty", "gen_ai.request.frequency_penalty",
            "presence_penalty", "gen_ai.request.presence_penalty",
            "stop", "gen_ai.request.stop_sequences");

    private final String proxyVersion;

    OtlpEncoder(String proxyVersion) {
        this.proxyVersion = proxyVersion;
    }

    ExportTraceServiceRequest encode(List<Generation> generations) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(SCOPE).setVersion(proxyVersion));
        generations.forEach(g -> scope.addSpans(span(g)));
        Resource resource = Resource.newBuilder()
                .addAttributes(kv("service.name", "llmhub"))
                .addAttributes(kv("telemetry.sdk.name", "llmhub"))
                .addAttributes(kv("telemetry.sdk.version", proxyVersion))
                .build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
                .build();
    }

    Span span(Generation g) {
        Span.Builder s = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(LangfuseIds.bytes(g.otelTraceId())))
                .setSpanId(ByteString.copyFrom(LangfuseIds.bytes(g.otelSpanId())))
                .setName(g.name())
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(nanos(g.startTime()))
                .setEndTimeUnixNano(nanos(g.endTime()));
        g.otelParentSpanId().ifPresent(p -> s.setParentSpanId(ByteString.copyFrom(LangfuseIds.bytes(p))));

        s.addAttributes(kv("gen_ai.operation.name", g.operation()));
        s.addAttributes(kv("langfuse.observation.type", g.observationType()));
        s.addAttributes(kv("gen_ai.request.model", g.model()));
        g.responseModel().ifPresent(m -> s.addAttributes(kv("gen_ai.response.model", m)));
        if (g.metadata().get("provider") instanceof String p) {
            s.addAttributes(kv("gen_ai.provider.name", p));
        }
        if (g.metadata().get("response_id") instanceof String id) {
            s.addAttributes(kv("gen_ai.response.id", id));
        }

        if (!g.modelParameters().isEmpty()) {
            s.addAttributes(kv("langfuse.observation.model.parameters", Json.write(g.modelParameters())));
            g.modelParameters().forEach((k, v) -> {
                String key = GEN_AI_REQUEST.get(k);
                if (key != null) {
                    AnyValue value = any(v);
                    if (value != null) {
                        s.addAttributes(KeyValue.newBuilder().setKey(key).setValue(value));
                    }
                }
            });
        }

        Generation.TokenUsage u = g.usage();
        if (!u.isEmpty()) {
            s.addAttributes(kv("langfuse.observation.usage_details", Json.write(u.langfuseDetails())));
            s.addAttributes(kv("gen_ai.usage.input_tokens", u.prompt()));
            if (!"embeddings".equals(g.operation())) {
                s.addAttributes(kv("gen_ai.usage.output_tokens", u.completion()));
            }
            s.addAttributes(kv("gen_ai.usage.total_tokens", u.total()));
            if (u.cached() > 0) {
                s.addAttributes(kv("gen_ai.usage.cache_read.input_tokens", u.cached()));
            }
            if (u.reasoning() > 0) {
                s.addAttributes(kv("gen_ai.usage.reasoning.output_tokens", u.reasoning()));
            }
        }
        g.cost().ifPresent(c -> {
            s.addAttributes(kv("langfuse.observation.cost_details", Json.write(c.asMap())));
            s.addAttributes(KeyValue.newBuilder().setKey("gen_ai.usage.cost")
                    .setValue(AnyValue.newBuilder().setDoubleValue(c.total())));
        });
        g.completionStartTime().ifPresent(t ->
                s.addAttributes(kv("langfuse.observation.completion_start_time", t.toString())));

        if (g.error()) {
            String message = g.statusMessage().orElse("call failed");
            s.addAttributes(kv("langfuse.observation.level", "ERROR"));
            s.addAttributes(kv("langfuse.observation.status_message", message));
            s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message));
        }

        g.input().ifPresent(in -> s.addAttributes(kv("langfuse.observation.input", Json.write(in))));
        g.output().ifPresent(out -> s.addAttributes(kv("langfuse.observation.output", Json.write(out))));
        s.addAttributes(kv("langfuse.observation.metadata", Json.write(g.metadata())));
        g.version().ifPresent(v -> s.addAttributes(kv("langfuse.version", v)));
        g.release().ifPresent(v -> s.addAttributes(kv("langfuse.release", v)));
        g.environment().ifPresent(v -> s.addAttributes(kv("langfuse.environment", v)));

        if (g.writesTrace()) {
            s.addAttributes(kv("langfuse.trace.name", g.traceName()));
            g.userId().ifPresent(v -> s.addAttributes(kv("langfuse.user.id", v)));
            g.sessionId().ifPresent(v -> s.addAttributes(kv("langfuse.session.id", v)));
            if (!g.tags().isEmpty()) {
                ArrayValue.Builder tags = ArrayValue.newBuilder();
                g.tags().forEach(t -> tags.addValues(AnyValue.newBuilder().setStringValue(t)));
                s.addAttributes(KeyValue.newBuilder().setKey("langfuse.trace.tags")
                        .setValue(AnyValue.newBuilder().setArrayValue(tags)));
            }
            if (!g.traceMetadata().isEmpty()) {
                s.addAttributes(kv("langfuse.trace.metadata", Json.write(g.traceMetadata())));
            }
            g.input().ifPresent(in -> s.addAttributes(kv("langfuse.trace.input", Json.write(in))));
            g.output().ifPresent(out -> s.addAttributes(kv("langfuse.trace.output", Json.write(out))));
        }
        return s.build();
    }

    private static AnyValue any(Object v) {
        if (v instanceof String str) {
            return AnyValue.newBuilder().setStringValue(str).build();
        }
        if (v instanceof Boolean b) {
            return AnyValue.newBuilder().setBoolValue(b).build();
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return AnyValue.newBuilder().setIntValue(((Number) v).longValue()).build();
        }
        if (v instanceof Number n) {
            return AnyValue.newBuilder().setDoubleValue(n.doubleValue()).build();
        }
        if (v instanceof List<?> l) {
            ArrayValue.Builder a = ArrayValue.newBuilder();
            for (Object o : l) {
                if (o instanceof Map || o instanceof List || o == null) {
                    return null;
                }
                a.addValues(AnyValue.newBuilder().setStringValue(o.toString()));
            }
            return AnyValue.newBuilder().setArrayValue(a).build();
        }
        return null;
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue kv(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
