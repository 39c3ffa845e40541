package dev.llmhub.plugin.langfuse;

import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.plugin.langfuse.Generation.PromptRef;
import dev.llmhub.plugin.langfuse.Generation.TraceFields;
import dev.llmhub.plugin.langfuse.Generation.TraceRole;
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
 * {@code tags}, {@code trace_metadata}, {@code version}, {@code prompt}), so LiteLLM users' clients keep
 * their traces. The rules, and the Langfuse server code each follows, are in
 * {@code docs/destinations/langfuse.md}.
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
        TraceRole role = existingTrace.isPresent() ? TraceRole.JOINED
                : customTrace.isPresent() || r.parentSpanId().isEmpty() ? TraceRole.OWN : TraceRole.CALLER;
        String traceId = existingTrace.or(() -> customTrace).orElse(r.traceId());
        String otelTraceId = LangfuseIds.otelTraceId(traceId);
        // The caller's span is a parent only inside the caller's own trace.
        Optional<String> callerSpan = r.parentSpanId().filter(p -> LangfuseIds.otelTraceId(r.traceId()).equals(otelTraceId));
        Optional<String> otelParent = switch (role) {
            case OWN -> Optional.empty();
            case CALLER -> callerSpan;
            case JOINED -> callerSpan.or(() -> Optional.of(LangfuseIds.detachedParentSpanId(r.id())));
        };
        Optional<String> parentObservation = role == TraceRole.OWN ? Optional.empty() : callerSpan;

        Optional<String> generationId = text(md, "generation_id");
        String observationId = generationId.orElseGet(() -> LangfuseIds.observationId(r.id()));
        String otelSpanId = LangfuseIds.otelSpanId(observationId);
        String observationType = r.callType() == CallType.EMBEDDING ? "embedding" : "generation";
        String name = text(md, "generation_name").orElse(switch (r.callType()) {
            case CHAT, MESSAGES, RESPONSES -> "chat";
            case COMPLETION -> "text_completion";
            case EMBEDDING -> "embeddings";
            case OTHER -> "other"; // a refused request on no call's route (no model either)
        } + " " + r.model());
        // Langfuse links prompts to generations only (OtelIngestionProcessor: canLinkPrompt).
        Optional<PromptRef> prompt = observationType.equals("generation") ? prompt(md.get("prompt")) : Optional.empty();

        Map<String, Object> own = llmhubMetadata(r);
        if (!otelTraceId.equals(traceId)) {
            // The OTLP id is a conversion of the caller's: keep the caller's own findable.
            own.put(existingTrace.isPresent() ? "existing_trace_id" : "trace_id", traceId);
        }
        if (generationId.isPresent() && !otelSpanId.equals(observationId)) {
            own.put("generation_id", observationId);
        }
        TraceFields trace = traceFields(role, r, md, name);
        Map<String, Object> metadata = MetadataKeys.generationMetadata(own, md,
                prompt.isPresent() ? Set.of("prompt") : Set.of(), trace.metadata());

        Map<String, Object> modelParameters = new LinkedHashMap<>();
        r.requestParams().forEach((k, v) -> {
            if (v != null && !NOT_MODEL_PARAMETERS.contains(k)) {
                modelParameters.put(k, v);
            }
        });
        Optional<String> statusMessage = r.error().map(e -> e.type() + ": " + e.message()
                + e.httpStatus().map(s -> " (HTTP " + s + ")").orElse(""));

        return new Generation(
                r.id(), traceId, otelTraceId, observationId, otelSpanId, otelParent, parentObservation, trace,
                name, observationType, r.responseModel().orElse(r.model()), modelParameters,
                new Generation.TokenUsage(r.usage().promptTokens(), r.usage().completionTokens(),
                        r.usage().totalTokens(), r.usage().cachedTokens(), r.usage().reasoningTokens()),
                r.cost().map(c -> new Generation.CostDetails(c.input(), c.output(), c.total())),
                settings.messageLogging() ? input(r) : Optional.empty(),
                settings.messageLogging() ? output(r) : Optional.empty(),
                statusMessage, r.startTime(), r.endTime(), r.stream() ? r.firstTokenTime() : Optional.empty(),
                prompt, settings.langfuseEnvironment(), text(md, "version"), metadata);
    }

    /** What the call writes on its trace, by whose trace it is (see {@link TraceRole}). */
    private TraceFields traceFields(TraceRole role, CallRecord r, Map<String, Object> md, String generationName) {
        Optional<String> userId = text(md, "trace_user_id").or(r::endUser).or(r::user);
        Map<String, Object> traceMetadata = MetadataKeys.traceMetadata(md.get("trace_metadata"));
        return switch (role) {
            case OWN -> new TraceFields(role, Optional.of(text(md, "trace_name").orElse(generationName)), userId,
                    text(md, "session_id"), tags(md), traceMetadata, true, settings.release());
            // The caller's trace: only what this request asked for explicitly; its name, input and output
            // and release are the caller's to set.
            case CALLER -> new TraceFields(role, text(md, "trace_name"), userId, text(md, "session_id"), tags(md),
                    traceMetadata, false, Optional.empty());
            case JOINED -> TraceFields.none();
        };
    }

    private static Map<String, Object> llmhubMetadata(CallRecord r) {
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
        return m;
    }

    /**
     * {@code metadata.prompt} as LiteLLM clients send it: an object with the prompt's {@code name} and
     * {@code version} (a Langfuse prompt client serialized, other fields ignored).
     */
    private static Optional<PromptRef> prompt(Object value) {
        if (!(value instanceof Map<?, ?> m) || !(m.get("name") instanceof String name) || name.isBlank()) {
            return Optional.empty();
        }
        Object v = m.get("version");
        long version;
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            version = ((Number) v).longValue();
        } else if (v instanceof String s && s.trim().matches("[0-9]{1,9}")) {
            version = Long.parseLong(s.trim());
        } else {
            return Optional.empty();
        }
        // Langfuse prompt versions start at 1 and are stored as 16-bit numbers.
        return version >= 1 && version <= 65_535 ? Optional.of(new PromptRef(name.trim(), (int) version)) : Optional.empty();
    }

    private static Optional<Object> input(CallRecord r) {
        if (r.messages().isEmpty()) {
            return Optional.empty();
        }
        return switch (r.callType()) {
            case CHAT, MESSAGES, RESPONSES, OTHER -> Optional.of(r.messages());
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
                case CHAT, MESSAGES, RESPONSES, OTHER -> choice.get("message");
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

    private static Optional<String> text(Map<String, Object> md, String key) {
        Object v = md.get(key);
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            String s = v.toString().trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        }
        return Optional.empty();
    }
}
