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

/**
 * Writes generations as one OTLP {@code ExportTraceServiceRequest}: one span per record with the
 * attributes Langfuse's OTLP ingestion reads, and nothing else. Langfuse copies every attribute it does
 * not read as input, output or metadata into the observation's {@code metadata.attributes}, so each fact
 * is written once, under its {@code langfuse.*} name, and an error is the span's status rather than two
 * more attributes (docs/destinations/langfuse.md, "Metadata").
 */
final class OtlpEncoder {
    /**
     * Instrumentation scope name. Langfuse treats a scope whose name contains {@code langfuse} as its own
     * SDK's spans, which changes how it reads them and which write path it takes: this is not one.
     */
    static final String SCOPE = "llmhub";

    private final Resource resource;
    private final InstrumentationScope scope;

    OtlpEncoder(String proxyVersion) {
        // No service.version: Langfuse would take it as every observation's version.
        this.resource = Resource.newBuilder()
                .addAttributes(kv("service.name", "llmhub"))
                .addAttributes(kv("telemetry.sdk.name", "llmhub"))
                .addAttributes(kv("telemetry.sdk.version", proxyVersion))
                .build();
        this.scope = InstrumentationScope.newBuilder().setName(SCOPE).setVersion(proxyVersion).build();
    }

    /** @param spans spans as {@link #span} made them @return the request carrying them */
    ExportTraceServiceRequest request(List<Span> spans) {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
                        .addScopeSpans(ScopeSpans.newBuilder().setScope(scope).addAllSpans(spans)))
                .build();
    }

    /** @return the bytes a request with no span takes; each span adds its size plus a few bytes of framing */
    int emptyRequestSize() {
        return request(List.of()).getSerializedSize();
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
        // Status ERROR is level ERROR, its message the status message: no attribute needed.
        g.statusMessage().ifPresent(m -> s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
                .setMessage(m)));

        s.addAttributes(kv("langfuse.observation.type", g.observationType()));
        s.addAttributes(kv("langfuse.observation.model.name", g.model()));
        if (!g.modelParameters().isEmpty()) {
            s.addAttributes(kv("langfuse.observation.model.parameters", Json.write(g.modelParameters())));
        }
        if (!g.usage().isEmpty()) {
            s.addAttributes(kv("langfuse.observation.usage_details", Json.write(g.usage().langfuseDetails())));
        }
        g.cost().ifPresent(c -> s.addAttributes(kv("langfuse.observation.cost_details", Json.write(c.asMap()))));
        g.completionStartTime().ifPresent(t ->
                s.addAttributes(kv("langfuse.observation.completion_start_time", t.toString())));
        g.prompt().ifPresent(p -> {
            s.addAttributes(kv("langfuse.observation.prompt.name", p.name()));
            s.addAttributes(kv("langfuse.observation.prompt.version", p.version()));
        });
        g.input().ifPresent(in -> s.addAttributes(kv("langfuse.observation.input", Json.write(in))));
        g.output().ifPresent(out -> s.addAttributes(kv("langfuse.observation.output", Json.write(out))));
        s.addAttributes(kv("langfuse.observation.metadata", Json.write(g.metadata())));
        g.version().ifPresent(v -> s.addAttributes(kv("langfuse.version", v)));
        g.environment().ifPresent(v -> s.addAttributes(kv("langfuse.environment", v)));

        // Trace-level attributes: Langfuse applies them to the trace from any span that carries one. A
        // root span's name, input and output already are its trace's (the server falls back to them), so
        // those are sent only when they differ: never the messages twice.
        Generation.TraceFields t = g.trace();
        t.release().ifPresent(v -> s.addAttributes(kv("langfuse.release", v)));
        t.name().filter(n -> !n.equals(g.name()) || g.otelParentSpanId().isPresent())
                .ifPresent(v -> s.addAttributes(kv("langfuse.trace.name", v)));
        t.userId().ifPresent(v -> s.addAttributes(kv("user.id", v)));
        t.sessionId().ifPresent(v -> s.addAttributes(kv("session.id", v)));
        if (!t.tags().isEmpty()) {
            ArrayValue.Builder tags = ArrayValue.newBuilder();
            t.tags().forEach(tag -> tags.addValues(AnyValue.newBuilder().setStringValue(tag)));
            s.addAttributes(KeyValue.newBuilder().setKey("langfuse.trace.tags")
                    .setValue(AnyValue.newBuilder().setArrayValue(tags)));
        }
        if (!t.metadata().isEmpty()) {
            s.addAttributes(kv("langfuse.trace.metadata", Json.write(t.metadata())));
        }
        return s.build();
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
