package dev.llmhub.plugin.langfuse;

import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallError;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.ResponseContent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a call record into a {@link Generation}, honouring the request metadata keys LiteLLM's
 * Langfuse logger reads ({@code trace_id}, {@code existing_trace_id}, {@code session_id},
 * {@code trace_name}, {@code trace_user_id}, {@code generation_name}, {@code generation_id},
 * {@code tags}, {@code trace_metadata}, {@code version}), so LiteLLM users' clients keep their traces.
 */
final class GenerationMapper {
    /** Request metadata keys consumed here; every other key is kept as generation metadata. */
    static final Set<String> LANGFUSE_KEYS = Set.of("trace_id", "existing_trace_id", "session_id", "trace_name",
            "trace_user_id", "generation_name", "generation_id", "tags", "trace_metadata", "version");
    /** Request parameters that are not model parameters: tool definitions go to metadata. */
    private static final Set<String> NOT_MODEL_PARAMETERS = Set.of("tools", "functions");

    private final LangfuseSettings settings;

    GenerationMapper(LangfuseSettings settings) {
        this.settings = settings;
    }

    Generation map(CallRecord r) {
        Map<String, Object> md = r.metadata();
        Optional<String> existingTrace = text(md, "existing_trace_id");
        Optional<String> customTrace = text(md, "trace_id");
        String traceId = existingTrace.or(() -> customTrace).orElse(r.traceId());
        String otelTraceId = LangfuseIds.otelTraceId(traceId);
        // The caller's parent span belongs to the record's own trace only.
        Optional<String> parent = traceId.equals(r.traceId()) ? r.parentSpanId() : Optional.empty();

        Optional<String> generationId = text(md, "generation_id");
        String observationId = generationId.orElseGet(() -> LangfuseIds.observationId(r.id()));
        String operation = switch (r.callType()) {
            case CHAT, MESSAGES, RESPONSES -> "chat";
            case COMPLETION -> "text_completion";
            case EMBEDDING -> "embeddings";
        };
        String name = text(md, "generation_name").orElse(operation + " " + r.model());
        String traceName = text(md, "trace_name").orElse(name);
        Optional<String> userId = text(md, "trace_user_id").or(r::endUser).or(r::user);

        Map<String, Object> metadata = generationMetadata(r, md, traceId, otelTraceId);
        String otelSpanId = LangfuseIds.otelSpanId(observationId);
        if (generationId.isPresent() && !otelSpanId.equals(observationId)) {
            // OTLP needs 16-hex span ids: keep the caller's own generation id findable.
            metadata.put("generation_id", observationId);
        }
        Map<String, Object> modelParameters = new LinkedHashMap<>();
        r.requestParams().forEach((k, v) -> {
            if (v != null && !NOT_MODEL_PARAMETERS.contains(k)) {
                modelParameters.put(k, v);
            }
        });

        Optional<CallError> error = r.error();
        Optional<String> statusMessage = error.map(e -> e.type() + ": " + e.message()
                + e.httpStatus().map(s -> " (HTTP " + s + ")").orElse(""));

        return new Generation(
                r.id(), traceId, otelTraceId, observationId, otelSpanId,
                parent, existingTrace.isEmpty(), traceName, userId, text(md, "session_id"), tags(md),
                traceMetadata(md), name, operation,
                r.callType() == dev.llmhub.api.CallType.EMBEDDING ? "embedding" : "generation",
                r.model(), r.responseModel(), modelParameters,
                new Generation.TokenUsage(r.usage().promptTokens(), r.usage().completionTokens(),
                        r.usage().totalTokens(), r.usage().cachedTokens(), r.usage().reasoningTokens()),
                r.cost().map(c -> new Generation.CostDetails(c.input(), c.output(), c.total())),
                settings.messageLogging() ? input(r) : Optional.empty(),
                settings.messageLogging() ? output(r) : Optional.empty(),
                error.isPresent(), statusMessage,
                r.startTime(), r.endTime(), r.stream() ? r.firstTokenTime() : Optional.empty(),
                settings.release(), settings.environment(), text(md, "version"), metadata);
    }

    private static Map<String, Object> generationMetadata(CallRecord r, Map<String, Object> md, String traceId,
                                                          String otelTraceId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("call_id", r.id());
        m.put("call_type", r.callType().wireName());
        m.put("stream", r.stream());
        m.put("model_group", r.modelGroup());
        r.deployment().ifPresent(v -> m.put("deployment", v));
        r.provider().ifPresent(v -> m.put("provider", v));
        r.apiBase().ifPresent(v -> m.put("api_base", v));
        r.response().map(ResponseContent::id).ifPresent(v -> m.put("response_id", v));
        r.response().map(ResponseContent::finishReasons).filter(l -> !l.isEmpty())
                .ifPresent(v -> m.put("finish_reasons", v));
        List<Map<String, Object>> attempts = new ArrayList<>();
        for (Attempt a : r.attempts()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("deployment", a.deployment());
            am.put("provider", a.provider());
            am.put("status", a.status().wireName());
            am.put("latency_ms", a.latencyMs());
            a.error().ifPresent(e -> am.put("error", e.type()));
            attempts.add(am);
        }
        if (!attempts.isEmpty()) {
            m.put("attempts", attempts);
        }
        m.put("upstream_latency_ms", r.upstreamLatencyMs());
        m.put("overhead_ms", r.overheadMs());
        r.error().ifPresent(e -> {
            m.put("error_type", e.type());
            e.providerCode().ifPresent(c -> m.put("error_code", c));
            m.put("error_retryable", e.retryable());
        });
        r.apiKey().ifPresent(k -> {
            // A hash and the configured alias only: the record never holds the key itself.
            m.put("api_key_hash", k.hash());
            k.alias().ifPresent(a -> m.put("api_key_alias", a));
        });
        r.userAgent().ifPresent(v -> m.put("user_agent", v));
        m.put("proxy_instance", r.proxy().instance());
        m.put("proxy_version", r.proxy().version());
        Object tools = r.requestParams().get("tools");
        if (tools != null) {
            m.put("tools", tools);
        }
        if (!otelTraceId.equals(traceId)) {
            // OTLP needs hex ids: keep the caller's own trace id findable.
            m.put("trace_id", traceId);
        }
        md.forEach((k, v) -> {
            if (!LANGFUSE_KEYS.contains(k) && v != null && !m.containsKey(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    private static Optional<Object> input(CallRecord r) {
        if (r.messages().isEmpty()) {
            return Optional.empty();
        }
        return switch (r.callType()) {
            case CHAT, MESSAGES, RESPONSES -> Optional.of(r.messages());
            case COMPLETION, EMBEDDING -> {
                List<Object> contents = r.messages().stream().map(m -> m.get("content")).toList();
                yield Optional.of(contents.size() == 1 ? contents.get(0) : contents);
            }
        };
    }

    private static Optional<Object> output(CallRecord r) {
        if (r.response().isEmpty() || r.response().get().choices().isEmpty()) {
            return Optional.empty();
        }
        List<Object> outputs = new ArrayList<>();
        for (Map<String, Object> choice : r.response().get().choices()) {
            Object out = switch (r.callType()) {
                case CHAT, MESSAGES, RESPONSES -> choice.get("message");
                case COMPLETION -> choice.get("text");
                case EMBEDDING -> null;
            };
            if (out != null) {
                outputs.add(out);
            }
        }
        if (outputs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(outputs.size() == 1 ? outputs.get(0) : outputs);
    }

    private static List<String> tags(Map<String, Object> md) {
        Object v = md.get("tags");
        if (v instanceof List<?> l) {
            return l.stream().filter(o -> o != null && !(o instanceof Map) && !(o instanceof List))
                    .map(Object::toString).filter(s -> !s.isBlank()).distinct().toList();
        }
        if (v instanceof String s && !s.isBlank()) {
            return List.of(s.split(",")).stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        }
        return List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> traceMetadata(Map<String, Object> md) {
        return md.get("trace_metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Optional<String> text(Map<String, Object> md, String key) {
        Object v = md.get(key);
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            String s = v.toString().trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        }
        return Optional.empty();
    }
}
