package dev.llmhub.plugin.langfuse;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
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

    // Attribute keys as UTF-8 once, not encoded again for every span.
    private static final ByteString OBSERVATION_TYPE = key("langfuse.observation.type");
    private static final ByteString MODEL_NAME = key("langfuse.observation.model.name");
    private static final ByteString MODEL_PARAMETERS = key("langfuse.observation.model.parameters");
    private static final ByteString USAGE_DETAILS = key("langfuse.observation.usage_details");
    private static final ByteString COST_DETAILS = key("langfuse.observation.cost_details");
    private static final ByteString COMPLETION_START_TIME = key("langfuse.observation.completion_start_time");
    private static final ByteString PROMPT_NAME = key("langfuse.observation.prompt.name");
    private static final ByteString PROMPT_VERSION = key("langfuse.observation.prompt.version");
    private static final ByteString INPUT = key("langfuse.observation.input");
    private static final ByteString OUTPUT = key("langfuse.observation.output");
    private static final ByteString METADATA = key("langfuse.observation.metadata");
    private static final ByteString VERSION = key("langfuse.version");
    private static final ByteString ENVIRONMENT = key("langfuse.environment");
    private static final ByteString RELEASE = key("langfuse.release");
    private static final ByteString TRACE_NAME = key("langfuse.trace.name");
    private static final ByteString USER_ID = key("user.id");
    private static final ByteString SESSION_ID = key("session.id");
    private static final ByteString TRACE_TAGS = key("langfuse.trace.tags");
    private static final ByteString TRACE_METADATA = key("langfuse.trace.metadata");

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

        s.addAttributes(kv(OBSERVATION_TYPE, g.observationType()));
        s.addAttributes(kv(MODEL_NAME, g.model()));
        if (!g.modelParameters().isEmpty()) {
            s.addAttributes(kvJson(MODEL_PARAMETERS, g.modelParameters()));
        }
        if (!g.usage().isEmpty()) {
            s.addAttributes(kvJson(USAGE_DETAILS, g.usage().langfuseDetails()));
        }
        g.cost().ifPresent(c -> s.addAttributes(kvJson(COST_DETAILS, c.asMap())));
        g.completionStartTime().ifPresent(t ->
                s.addAttributes(kv(COMPLETION_START_TIME, t.toString())));
        g.prompt().ifPresent(p -> {
            s.addAttributes(kv(PROMPT_NAME, p.name()));
            s.addAttributes(kv(PROMPT_VERSION, p.version()));
        });
        g.input().ifPresent(in -> s.addAttributes(kvJson(INPUT, in)));
        g.output().ifPresent(out -> s.addAttributes(kvJson(OUTPUT, out)));
        s.addAttributes(kvJson(METADATA, g.metadata()));
        g.version().ifPresent(v -> s.addAttributes(kv(VERSION, v)));
        g.environment().ifPresent(v -> s.addAttributes(kv(ENVIRONMENT, v)));

        // Trace-level attributes: Langfuse applies them to the trace from any span that carries one. A
        // root span's name, input and output already are its trace's (the server falls back to them), so
        // those are sent only when they differ: never the messages twice.
        Generation.TraceFields t = g.trace();
        t.release().ifPresent(v -> s.addAttributes(kv(RELEASE, v)));
        t.name().filter(n -> !n.equals(g.name()) || g.otelParentSpanId().isPresent())
                .ifPresent(v -> s.addAttributes(kv(TRACE_NAME, v)));
        t.userId().ifPresent(v -> s.addAttributes(kv(USER_ID, v)));
        t.sessionId().ifPresent(v -> s.addAttributes(kv(SESSION_ID, v)));
        if (!t.tags().isEmpty()) {
            ArrayValue.Builder tags = ArrayValue.newBuilder();
            t.tags().forEach(tag -> tags.addValues(AnyValue.newBuilder().setStringValue(tag)));
            s.addAttributes(KeyValue.newBuilder().setKeyBytes(TRACE_TAGS)
                    .setValue(AnyValue.newBuilder().setArrayValue(tags)));
        }
        if (!t.metadata().isEmpty()) {
            s.addAttributes(kvJson(TRACE_METADATA, t.metadata()));
        }
        return s.build();
    }

    private static ByteString key(String name) {
        return ByteString.copyFromUtf8(name);
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue kv(ByteString key, String value) {
        return KeyValue.newBuilder().setKeyBytes(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue kv(ByteString key, long value) {
        return KeyValue.newBuilder().setKeyBytes(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    /**
     * A string attribute holding a tree as JSON, written by Jackson straight as UTF-8 bytes: as a Java
     * string it was encoded twice (chars, then protobuf's UTF-8), a quarter of the lane's time.
     */
    private static KeyValue kvJson(ByteString key, Object tree) {
        return KeyValue.newBuilder().setKeyBytes(key)
                .setValue(AnyValue.newBuilder().setStringValueBytes(UnsafeByteOperations.unsafeWrap(Json.bytes(tree)))).build();
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
