package dev.llmhub.plugin.otel;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The GenAI semantic conventions (v1.41.1, {@code registry.yaml}) as this plugin uses them: attribute
 * keys with their registry types, and the mappings from a call record's values to theirs.
 */
final class GenAi {
    private GenAi() {
    }

    static final AttributeKey<String> OPERATION_NAME = stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
    static final AttributeKey<String> RESPONSE_ID = stringKey("gen_ai.response.id");
    static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<Double> RESPONSE_TIME_TO_FIRST_CHUNK = doubleKey("gen_ai.response.time_to_first_chunk");
    static final AttributeKey<Long> USAGE_INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> USAGE_CACHE_READ_INPUT_TOKENS = longKey("gen_ai.usage.cache_read.input_tokens");
    static final AttributeKey<Long> USAGE_REASONING_OUTPUT_TOKENS = longKey("gen_ai.usage.reasoning.output_tokens");
    static final AttributeKey<Double> REQUEST_TEMPERATURE = doubleKey("gen_ai.request.temperature");
    static final AttributeKey<Double> REQUEST_TOP_P = doubleKey("gen_ai.request.top_p");
    static final AttributeKey<Double> REQUEST_TOP_K = doubleKey("gen_ai.request.top_k");
    static final AttributeKey<Long> REQUEST_MAX_TOKENS = longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Double> REQUEST_FREQUENCY_PENALTY = doubleKey("gen_ai.request.frequency_penalty");
    static final AttributeKey<Double> REQUEST_PRESENCE_PENALTY = doubleKey("gen_ai.request.presence_penalty");
    static final AttributeKey<List<String>> REQUEST_STOP_SEQUENCES = stringArrayKey("gen_ai.request.stop_sequences");
    static final AttributeKey<Long> REQUEST_SEED = longKey("gen_ai.request.seed");
    static final AttributeKey<Long> REQUEST_CHOICE_COUNT = longKey("gen_ai.request.choice.count");
    static final AttributeKey<Boolean> REQUEST_STREAM = booleanKey("gen_ai.request.stream");
    static final AttributeKey<List<String>> REQUEST_ENCODING_FORMATS = stringArrayKey("gen_ai.request.encoding_formats");
    static final AttributeKey<String> OUTPUT_TYPE = stringKey("gen_ai.output.type");
    static final AttributeKey<String> CONVERSATION_ID = stringKey("gen_ai.conversation.id");
    static final AttributeKey<String> INPUT_MESSAGES = stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = stringKey("gen_ai.output.messages");
    static final AttributeKey<String> TOKEN_TYPE = stringKey("gen_ai.token.type");

    static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = longKey("server.port");

    /** The provider names llmhub uses that differ from the registry's well-known values. */
    private static final Map<String, String> PROVIDERS = Map.ofEntries(
            Map.entry("azure", "azure.ai.openai"),
            Map.entry("azure_openai", "azure.ai.openai"),
            Map.entry("azure_ai", "azure.ai.inference"),
            Map.entry("bedrock", "aws.bedrock"),
            Map.entry("vertex_ai", "gcp.vertex_ai"),
            Map.entry("gemini", "gcp.gemini"),
            Map.entry("mistral", "mistral_ai"),
            Map.entry("xai", "x_ai"),
            Map.entry("watsonx", "ibm.watsonx.ai"));

    /** @return {@code gen_ai.operation.name} for the kind of call */
    static String operationName(CallType type) {
        return switch (type) {
            case CHAT, MESSAGES, RESPONSES -> "chat";
            case COMPLETION -> "text_completion";
            case EMBEDDING -> "embeddings";
        };
    }

    /** @return {@code gen_ai.provider.name}: the registry's name for llmhub's provider id */
    static String providerName(Optional<String> provider) {
        String p = provider.map(s -> s.toLowerCase(Locale.ROOT)).orElse("unknown");
        return PROVIDERS.getOrDefault(p, p);
    }

    /** A host and port taken from the record's api_base. */
    record Server(String address, long port) {
        static Optional<Server> of(Optional<String> apiBase) {
            if (apiBase.isEmpty()) {
                return Optional.empty();
            }
            try {
                URI uri = URI.create(apiBase.get());
                // Only an http(s) base names a server a client talks to; llmhub's built-in mock
                // (mock://llmhub) has none, and a made-up address and port 80 would mislead.
                if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                        || "https".equalsIgnoreCase(uri.getScheme()))) {
                    return Optional.empty();
                }
                int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
                return Optional.of(new Server(uri.getHost(), port));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        void putInto(AttributesBuilder b) {
            b.put(SERVER_ADDRESS, address);
            b.put(SERVER_PORT, port);
        }
    }

    /**
     * Puts the request parameters the registry knows, with the registry's types; a parameter of an
     * unexpected type (a client can send anything) is left out rather than mistyped.
     */
    static void putRequestParams(CallRecord r, AttributesBuilder b) {
        Map<String, Object> p = r.requestParams();
        number(p.get("temperature")).ifPresent(v -> b.put(REQUEST_TEMPERATURE, v));
        number(p.get("top_p")).ifPresent(v -> b.put(REQUEST_TOP_P, v));
        number(p.get("top_k")).ifPresent(v -> b.put(REQUEST_TOP_K, v));
        number(p.get("frequency_penalty")).ifPresent(v -> b.put(REQUEST_FREQUENCY_PENALTY, v));
        number(p.get("presence_penalty")).ifPresent(v -> b.put(REQUEST_PRESENCE_PENALTY, v));
        whole(p.containsKey("max_completion_tokens") ? p.get("max_completion_tokens") : p.get("max_tokens"))
                .ifPresent(v -> b.put(REQUEST_MAX_TOKENS, v));
        whole(p.get("seed")).ifPresent(v -> b.put(REQUEST_SEED, v));
        whole(p.get("n")).filter(n -> n != 1).ifPresent(v -> b.put(REQUEST_CHOICE_COUNT, v));
        strings(p.get("stop")).ifPresent(v -> b.put(REQUEST_STOP_SEQUENCES, v));
        strings(p.get("encoding_format")).ifPresent(v -> b.put(REQUEST_ENCODING_FORMATS, v));
        outputType(p.get("response_format")).ifPresent(v -> b.put(OUTPUT_TYPE, v));
        if (r.stream()) {
            b.put(REQUEST_STREAM, true);
        }
    }

    /**
     * @return when the GenAI client operation (the proxy calling providers) ran: from the first try's
     *         start to the last try's end, or the whole call when no try was made
     */
    static Interval clientInterval(CallRecord r) {
        List<dev.llmhub.api.Attempt> a = r.attempts();
        return a.isEmpty() ? new Interval(r.startTime(), r.endTime())
                : new Interval(a.get(0).startTime(), a.get(a.size() - 1).endTime());
    }

    /** A start and an end. */
    record Interval(Instant start, Instant end) {
        double seconds() {
            return SpanTranslator.seconds(start, end);
        }
    }

    /**
     * @return seconds from the start of the try that streamed (the last one) to the first chunk, for
     *         streamed calls that sent one
     */
    static Optional<Double> timeToFirstChunk(CallRecord r) {
        if (!r.stream() || r.firstTokenTime().isEmpty()) {
            return Optional.empty();
        }
        Instant from = r.attempts().isEmpty() ? r.startTime() : r.attempts().get(r.attempts().size() - 1).startTime();
        return Optional.of(Math.max(0, SpanTranslator.seconds(from, r.firstTokenTime().get())));
    }

    /** Maps OpenAI's finish reasons to the spec's ({@code tool_calls} is {@code tool_call} there). */
    static String finishReason(String openAi) {
        return switch (openAi) {
            case "tool_calls", "function_call" -> "tool_call";
            default -> openAi;
        };
    }

    private static Optional<String> outputType(Object responseFormat) {
        Object type = responseFormat instanceof Map<?, ?> m ? m.get("type") : responseFormat;
        if (!(type instanceof String s)) {
            return Optional.empty();
        }
        return switch (s) {
            case "json_object", "json_schema", "json" -> Optional.of("json");
            case "text" -> Optional.of("text");
            default -> Optional.empty();
        };
    }

    private static Optional<Double> number(Object v) {
        return v instanceof Number n && !(v instanceof Double d && (d.isNaN() || d.isInfinite()))
                ? Optional.of(n.doubleValue()) : Optional.empty();
    }

    private static Optional<Long> whole(Object v) {
        return v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? Optional.of(n.longValue()) : Optional.empty();
    }

    private static Optional<List<String>> strings(Object v) {
        if (v instanceof String s) {
            return Optional.of(List.of(s));
        }
        if (v instanceof List<?> l && !l.isEmpty()) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof String s)) {
                    return Optional.empty();
                }
                out.add(s);
            }
            return Optional.of(List.copyOf(out));
        }
        return Optional.empty();
    }
}
