package dev.llmhub.plugin.langfuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What Langfuse's server makes of what it receives, reduced to what the tests check: the trace writes
 * and the observations. Each rule follows the server code cited in docs/destinations/langfuse.md (commit
 * 62751446 of langfuse/langfuse), so a test can assert what a real Langfuse would store, and a sender that
 * breaks a rule shows up as a violation.
 */
public final class LangfuseServerModel {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Langfuse's own keys at the top of an observation's metadata (OtelIngestionProcessor.ts 411–425). */
    static final Set<String> LANGFUSE_METADATA_KEYS = Set.of("attributes", "resourceAttributes", "scope");
    /** Attributes the server reads as input, output or metadata and so leaves out of metadata.attributes. */
    private static final Set<String> NOT_COPIED = Set.of("langfuse.trace.input", "langfuse.trace.output",
            "langfuse.observation.input", "langfuse.observation.output", "langfuse.trace.metadata",
            "langfuse.observation.metadata");
    /** Attributes that make a non-root span update its trace (OtelIngestionProcessor.ts 1256–1289, the ones a sender may use). */
    private static final Set<String> TRACE_UPDATE_ATTRIBUTES = Set.of("langfuse.trace.name", "langfuse.trace.input",
            "langfuse.trace.output", "langfuse.trace.metadata", "user.id", "session.id", "langfuse.trace.public",
            "langfuse.trace.tags", "langfuse.user.id", "langfuse.session.id");

    /** How a span or event writes its trace. */
    public enum TraceWriteKind {
        /** A root span (no parent): the trace takes name, input, output, metadata, release and version from it. */
        ROOT,
        /** A non-root span with trace attributes: the trace takes those. */
        UPDATE,
        /** A non-root span of a trace not seen before: id, timestamp and environment only. */
        SHALLOW,
        /** An ingestion API {@code trace-create}: the fields it carries. */
        EXPLICIT
    }

    /**
     * One write to a trace.
     *
     * @param traceId the trace id as Langfuse stores it
     * @param kind    how it was made
     * @param fields  the fields it sets (absent ones leave the trace's values alone)
     */
    public record TraceWrite(String traceId, TraceWriteKind kind, Map<String, Object> fields) {
    }

    /**
     * One observation as Langfuse stores it.
     *
     * @param id             observation id
     * @param traceId        trace id
     * @param parentId       parent observation id, when it has one
     * @param type           observation type (GENERATION, EMBEDDING…)
     * @param name           name
     * @param promptName     linked prompt name
     * @param promptVersion  linked prompt version
     * @param environment    environment as stored
     * @param metadata       metadata as stored (for OTLP: Langfuse's own keys, the span's metadata, its trace metadata)
     */
    public record Observation(String id, String traceId, Optional<String> parentId, String type, String name,
                              Optional<String> promptName, Optional<Integer> promptVersion, String environment,
                              JsonNode metadata) {
        /** @return what Langfuse copied into {@code metadata.attributes} (OTLP only; empty for ingestion) */
        public JsonNode attributesInMetadata() {
            return metadata.path("attributes");
        }
    }

    private final Set<String> seenTraces = new java.util.HashSet<>();
    private final List<TraceWrite> traceWrites = new ArrayList<>();
    private final List<Observation> observations = new ArrayList<>();

    /** @return every trace write so far, in order */
    public synchronized List<TraceWrite> traceWrites() {
        return List.copyOf(traceWrites);
    }

    /** @param traceId a trace id @return the writes to that trace */
    public synchronized List<TraceWrite> traceWrites(String traceId) {
        return traceWrites.stream().filter(w -> w.traceId().equals(traceId)).toList();
    }

    /** @return every observation so far, in order */
    public synchronized List<Observation> observations() {
        return List.copyOf(observations);
    }

    synchronized void reset() {
        seenTraces.clear();
        traceWrites.clear();
        observations.clear();
    }

    /**
     * The environment name Langfuse stores ({@code PublicEnvironmentName}, ingestion/types.ts 228–246).
     *
     * @param value a sent environment, or null
     * @return the stored name
     */
    static String storedEnvironment(String value) {
        if (value == null) {
            return "default";
        }
        String stripped = value.toLowerCase(Locale.ROOT).replaceFirst("^(?:langfuse[-_]?)+", "");
        String cut = stripped.length() > 40 ? stripped.substring(0, 40) : stripped;
        return cut.matches("[a-z0-9_-]+") ? cut : "default";
    }

    /** Reads the spans of one OTLP request (OtelIngestionProcessor.processSpan / processToEvent). */
    synchronized void otlp(List<ResourceSpans> resourceSpans, Consumer<String> violation) {
        for (ResourceSpans rs : resourceSpans) {
            Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                String scope = ss.getScope().getName();
                if (scope.toLowerCase(Locale.ROOT).contains("langfuse")) {
                    violation.accept("scope '" + scope + "' claims to be a Langfuse SDK (otelIngestionQueue.ts isLangfuseSdkTraffic)");
                }
                for (Span span : ss.getSpansList()) {
                    span(span, resource, ss, violation);
                }
            }
        }
    }

    private void span(Span span, Map<String, Object> resource, ScopeSpans ss, Consumer<String> violation) {
        Map<String, Object> a = attributes(span.getAttributesList());
        String traceId = HexFormat.of().formatHex(span.getTraceId().toByteArray());
        String spanId = HexFormat.of().formatHex(span.getSpanId().toByteArray());
        Optional<String> parent = span.getParentSpanId().isEmpty() ? Optional.empty()
                : Optional.of(HexFormat.of().formatHex(span.getParentSpanId().toByteArray()));
        if (traceId.matches("0+") || spanId.matches("0+") || parent.filter(p -> p.matches("0+")).isPresent()) {
            violation.accept("all-zero id in span " + span.getName() + ": invalid in OTLP");
        }
        String environment = text(a.get("langfuse.environment")).orElse(text(resource.get("langfuse.environment")).orElse(null));
        if (environment != null && !storedEnvironment(environment).equals(environment)) {
            violation.accept("environment '" + environment + "' is stored by Langfuse as '" + storedEnvironment(environment) + "'");
        }
        String storedEnvironment = storedEnvironment(environment);
        Map<String, Object> spanMetadata = jsonObject(a.get("langfuse.observation.metadata"), "langfuse.observation.metadata", violation);
        Map<String, Object> traceMetadata = jsonObject(a.get("langfuse.trace.metadata"), "langfuse.trace.metadata", violation);

        Map<String, Object> copied = new LinkedHashMap<>();
        a.forEach((k, v) -> {
            if (!NOT_COPIED.contains(k)) {
                copied.put(k, v instanceof String s ? s : write(v));
            }
        });
        // The observation's metadata in the events table: Langfuse's keys, then the span's, then the trace's (411–425).
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("attributes", copied);
        metadata.put("resourceAttributes", resource);
        metadata.put("scope", Map.of("name", ss.getScope().getName(), "version", ss.getScope().getVersion()));
        for (Map.Entry<String, Object> e : spanMetadata.entrySet()) {
            if (LANGFUSE_METADATA_KEYS.contains(e.getKey())) {
                violation.accept("generation metadata key '" + e.getKey() + "' is one of Langfuse's own: one of the two values is lost");
            }
            metadata.put(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Object> e : traceMetadata.entrySet()) {
            if (LANGFUSE_METADATA_KEYS.contains(e.getKey())) {
                violation.accept("trace metadata key '" + e.getKey() + "' is one of Langfuse's own: one of the two values is lost");
            } else if (spanMetadata.containsKey(e.getKey()) && !Objects.equals(spanMetadata.get(e.getKey()), e.getValue())) {
                violation.accept("metadata key '" + e.getKey() + "' has one value on the generation and another on the "
                        + "trace: Langfuse keeps one of them");
            }
            metadata.put(e.getKey(), e.getValue());
        }

        String type = observationType(a);
        Optional<String> promptName = text(a.get("langfuse.observation.prompt.name"));
        Optional<Integer> promptVersion = Optional.ofNullable(a.get("langfuse.observation.prompt.version"))
                .map(v -> v instanceof Long l ? l.intValue() : Integer.parseInt(v.toString()));
        if ((promptName.isPresent() || promptVersion.isPresent()) && !type.equals("GENERATION")) {
            violation.accept("prompt attributes on a " + type + ": Langfuse links prompts to generations only");
        }
        observations.add(new Observation(spanId, traceId, parent, type, span.getName(),
                type.equals("GENERATION") ? promptName : Optional.empty(),
                type.equals("GENERATION") ? promptVersion : Optional.empty(), storedEnvironment, JSON.valueToTree(metadata)));

        // Trace writes (processSpan, 923–950; createTraceEvent, 972–1090).
        boolean root = parent.isEmpty() || "true".equals(String.valueOf(a.get("langfuse.internal.as_root")));
        boolean updates = a.keySet().stream().anyMatch(k -> TRACE_UPDATE_ATTRIBUTES.contains(k) || k.startsWith("langfuse.trace.metadata"));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("environment", storedEnvironment);
        if (root) {
            fields.put("name", a.getOrDefault("langfuse.trace.name", span.getName()));
            fields.put("input", a.getOrDefault("langfuse.trace.input", a.get("langfuse.observation.input")));
            fields.put("output", a.getOrDefault("langfuse.trace.output", a.get("langfuse.observation.output")));
            Map<String, Object> rootMetadata = new LinkedHashMap<>(traceMetadata);
            rootMetadata.putAll(spanMetadata);
            fields.put("metadata", rootMetadata);
        } else if (updates) {
            fields.put("name", a.get("langfuse.trace.name"));
            fields.put("input", a.get("langfuse.trace.input"));
            fields.put("output", a.get("langfuse.trace.output"));
            fields.put("metadata", traceMetadata);
        }
        if (root || updates) {
            fields.put("version", a.getOrDefault("langfuse.version", resource.get("service.version")));
            fields.put("release", a.getOrDefault("langfuse.release", resource.get("langfuse.release")));
            fields.put("userId", a.getOrDefault("langfuse.user.id", a.get("user.id")));
            fields.put("sessionId", a.getOrDefault("langfuse.session.id", a.get("session.id")));
            fields.put("tags", a.getOrDefault("langfuse.trace.tags", List.of()));
            fields.values().removeIf(Objects::isNull);
            traceWrites.add(new TraceWrite(traceId, root ? TraceWriteKind.ROOT : TraceWriteKind.UPDATE, fields));
        } else if (seenTraces.add(traceId)) {
            traceWrites.add(new TraceWrite(traceId, TraceWriteKind.SHALLOW, fields));
        }
        seenTraces.add(traceId);
    }

    /** Reads one ingestion API event (already validated against the OpenAPI). */
    synchronized void ingestion(JsonNode event, Consumer<String> violation) {
        JsonNode body = event.path("body");
        String environment = body.hasNonNull("environment") ? body.get("environment").asText() : null;
        if (environment != null && !storedEnvironment(environment).equals(environment)) {
            violation.accept("environment '" + environment + "' is stored by Langfuse as '" + storedEnvironment(environment) + "'");
        }
        switch (event.path("type").asText()) {
            case "trace-create" -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                body.fields().forEachRemaining(f -> {
                    if (!f.getKey().equals("id") && !f.getKey().equals("timestamp")) {
                        fields.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class));
                    }
                });
                traceWrites.add(new TraceWrite(body.path("id").asText(), TraceWriteKind.EXPLICIT, fields));
            }
            case "generation-create" -> observations.add(new Observation(body.path("id").asText(),
                    body.path("traceId").asText(),
                    body.hasNonNull("parentObservationId") ? Optional.of(body.get("parentObservationId").asText()) : Optional.empty(),
                    "GENERATION", body.path("name").asText(),
                    body.hasNonNull("promptName") ? Optional.of(body.get("promptName").asText()) : Optional.empty(),
                    body.hasNonNull("promptVersion") ? Optional.of(body.get("promptVersion").asInt()) : Optional.empty(),
                    storedEnvironment(environment), body.path("metadata")));
            default -> {
                // The stand-in reports other event types as violations elsewhere.
            }
        }
    }

    /** ObservationTypeMapper.ts: {@code langfuse.observation.type} first (priority 1); a span otherwise, as far as llmhub is concerned. */
    private static String observationType(Map<String, Object> a) {
        return text(a.get("langfuse.observation.type")).map(t -> t.toUpperCase(Locale.ROOT)).orElse("SPAN");
    }

    private static Map<String, Object> attributes(List<KeyValue> kvs) {
        Map<String, Object> m = new LinkedHashMap<>();
        kvs.forEach(kv -> m.put(kv.getKey(), plain(kv.getValue())));
        return m;
    }

    private static Object plain(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(LangfuseServerModel::plain).toList();
            default -> v.toString();
        };
    }

    private static Map<String, Object> jsonObject(Object value, String key, Consumer<String> violation) {
        if (value == null) {
            return Map.of();
        }
        try {
            JsonNode node = JSON.readTree(value.toString());
            if (!node.isObject()) {
                violation.accept(key + " is not a JSON object: Langfuse drops it");
                return Map.of();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.convertValue(node, LinkedHashMap.class);
            return m;
        } catch (Exception e) {
            violation.accept(key + " is not JSON: Langfuse drops it");
            return Map.of();
        }
    }

    private static Optional<String> text(Object v) {
        return v == null ? Optional.empty() : Optional.of(v.toString());
    }

    private static String write(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (Exception e) {
            return String.valueOf(v);
        }
    }
}
