package dev.llmhub.plugin.otel;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.plugin.kit.BoundedMemo;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The semantic conventions (v1.41.1: GenAI, OpenAI, HTTP, URL, server and error registries) as this
 * plugin uses them: attribute keys with their registry types, and the mappings from a call record's
 * values to theirs.
 */
final class GenAi {
    private GenAi() {
    }

    /** The conventions' schema; v1.41.1 is a patch release of schema 1.41.0, which has the file. */
    static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.41.0";
    /** Name of the opt-in event that carries an inference's details, content included. */
    static final String OPERATION_DETAILS_EVENT = "gen_ai.client.inference.operation.details";

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
    static final AttributeKey<Long> EMBEDDINGS_DIMENSION_COUNT = longKey("gen_ai.embeddings.dimension.count");
    static final String INPUT_MESSAGES = "gen_ai.input.messages";
    static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
    static final String TOOL_DEFINITIONS = "gen_ai.tool.definitions";
    static final AttributeKey<String> TOKEN_TYPE = stringKey("gen_ai.token.type");

    static final AttributeKey<String> OPENAI_API_TYPE = stringKey("openai.api.type");
    static final AttributeKey<String> OPENAI_REQUEST_SERVICE_TIER = stringKey("openai.request.service_tier");
    static final AttributeKey<String> OPENAI_RESPONSE_SYSTEM_FINGERPRINT = stringKey("openai.response.system_fingerprint");
    static final AttributeKey<String> OPENAI_RESPONSE_SERVICE_TIER = stringKey("openai.response.service_tier");

    static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
    static final AttributeKey<String> HTTP_REQUEST_METHOD = stringKey("http.request.method");
    static final AttributeKey<Long> HTTP_RESEND_COUNT = longKey("http.request.resend_count");
    static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = longKey("http.response.status_code");
    static final AttributeKey<String> HTTP_ROUTE = stringKey("http.route");
    static final AttributeKey<String> URL_FULL = stringKey("url.full");
    static final AttributeKey<String> URL_PATH = stringKey("url.path");
    static final AttributeKey<String> URL_SCHEME = stringKey("url.scheme");
    static final AttributeKey<String> CLIENT_ADDRESS = stringKey("client.address");
    static final AttributeKey<String> USER_AGENT = stringKey("user_agent.original");
    static final AttributeKey<String> USER_ID = stringKey("user.id");

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
            // never an operation: a refused request on no call's route was tried on no upstream
            case OTHER -> type.wireName();
        };
    }

    /** @return {@code gen_ai.provider.name}: the registry's name for llmhub's provider id */
    static String providerName(Optional<String> provider) {
        String p = provider.map(s -> s.toLowerCase(Locale.ROOT)).orElse("unknown");
        return PROVIDERS.getOrDefault(p, p);
    }

    /**
     * @return whether the provider is OpenAI, whose own conventions ({@code span.openai.inference.client},
     *         the {@code openai.*} attributes) then apply; Azure OpenAI has none of its own in v1.41.1
     */
    static boolean isOpenAi(Optional<String> provider) {
        return provider.filter(p -> p.equalsIgnoreCase("openai")).isPresent();
    }

    /** A host and port taken from a URL. */
    record Server(String address, long port) {
        /** Upstream URLs are the few of the configured deployments: each is parsed once. */
        private static final BoundedMemo<String, Optional<Server>> PARSED = new BoundedMemo<>(1024, Server::parse);

        static Optional<Server> of(Optional<String> url) {
            return url.isEmpty() ? Optional.empty() : PARSED.get(url.get());
        }

        private static Optional<Server> parse(String url) {
            try {
                URI uri = URI.create(url);
                // Only an http(s) URL names a server a client talks to; llmhub's built-in mock
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
     * Puts an inference's request parameters that {@code attributes.gen_ai.inference.client} defines, with
     * the registry's types; a parameter of an unexpected type (a client can send anything) is left out
     * rather than mistyped.
     */
    static void putInferenceParams(CallRecord r, AttributesBuilder b) {
        Map<String, Object> p = r.requestParams();
        number(p.get("temperature")).ifPresent(v -> b.put(REQUEST_TEMPERATURE, v));
        number(p.get("top_p")).ifPresent(v -> b.put(REQUEST_TOP_P, v));
        number(p.get("frequency_penalty")).ifPresent(v -> b.put(REQUEST_FREQUENCY_PENALTY, v));
        number(p.get("presence_penalty")).ifPresent(v -> b.put(REQUEST_PRESENCE_PENALTY, v));
        whole(p.containsKey("max_completion_tokens") ? p.get("max_completion_tokens") : p.get("max_tokens"))
                .ifPresent(v -> b.put(REQUEST_MAX_TOKENS, v));
        whole(p.get("seed")).ifPresent(v -> b.put(REQUEST_SEED, v));
        whole(p.get("n")).filter(n -> n != 1).ifPresent(v -> b.put(REQUEST_CHOICE_COUNT, v));
        strings(p.get("stop")).ifPresent(v -> b.put(REQUEST_STOP_SEQUENCES, v));
        outputType(p.get("response_format")).ifPresent(v -> b.put(OUTPUT_TYPE, v));
        if (r.stream()) {
            b.put(REQUEST_STREAM, true);
        }
    }

    /** Puts what the inference span adds to the inference attributes: {@code top_k}. */
    static void putInferenceSpanParams(CallRecord r, AttributesBuilder b) {
        number(r.requestParams().get("top_k")).ifPresent(v -> b.put(REQUEST_TOP_K, v));
    }

    /** Puts an embeddings call's request parameters that {@code span.gen_ai.embeddings.client} defines. */
    static void putEmbeddingsParams(CallRecord r, AttributesBuilder b) {
        Map<String, Object> p = r.requestParams();
        strings(p.get("encoding_format")).ifPresent(v -> b.put(REQUEST_ENCODING_FORMATS, v));
        whole(p.get("dimensions")).ifPresent(v -> b.put(EMBEDDINGS_DIMENSION_COUNT, v));
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
