package dev.llmhub.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.core.config.ProviderKind;
import dev.llmhub.core.usage.TokenCounter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Answers with a fixed text and no network call: the built-in model that lets a newcomer run
 * everything without a key. Usage is counted with OpenAI's tokenizer, the way OpenAI would report it.
 * Streams the text in word-sized chunks and ends with a usage chunk (the gateway drops it unless
 * the client asked for {@code stream_options.include_usage}).
 */
public final class MockProvider implements Provider {
    /** Reply of a {@code mock/…} model configured without {@code mock_response}. */
    public static final String DEFAULT_TEXT = "This is a mock response from llmhub.";
    private static final int DEFAULT_DIMENSIONS = 8;

    private final String text;
    private final String model;
    private final TokenCounter tokens;

    /**
     * @param text   the reply
     * @param model  the model name reported in answers
     * @param tokens the tokenizer
     */
    public MockProvider(String text, String model, TokenCounter tokens) {
        this.text = text;
        this.model = model;
        this.tokens = tokens;
    }

    /** @return the same model answering another text (a request's own {@code mock_response}) */
    public MockProvider withText(String other) {
        return new MockProvider(other, model, tokens);
    }

    @Override
    public ProviderKind kind() {
        return ProviderKind.MOCK;
    }

    @Override
    public String apiBase() {
        return "mock://llmhub";
    }

    @Override
    public boolean speaks(CallType api) {
        return api != CallType.MESSAGES && api != CallType.OTHER;
    }

    @Override
    public ObjectNode call(UpstreamRequest request) {
        ObjectNode body = request.body();
        return switch (request.callType()) {
            case CHAT -> chat(body);
            case COMPLETION -> completion(body);
            case EMBEDDING -> embedding(body);
            case RESPONSES -> new MockResponses(model, text, body).response(responsesPrompt(body), completionTokens());
            case MESSAGES -> throw new IllegalArgumentException("the mock answers messages through chat");
            case OTHER -> throw new IllegalArgumentException("no call of type " + request.callType());
        };
    }

    @Override
    public ChunkStream stream(UpstreamRequest request) {
        if (request.callType() == CallType.EMBEDDING) {
            throw new UpstreamException(400, "invalid_request_error", "embeddings cannot be streamed",
                    Optional.empty(), false, Optional.empty());
        }
        if (request.callType() == CallType.RESPONSES) {
            return ChunkStream.of(new MockResponses(model, text, request.body())
                    .events(pieces(text), responsesPrompt(request.body()), completionTokens()));
        }
        boolean chat = request.callType() == CallType.CHAT;
        String id = newId(chat ? "chatcmpl-" : "cmpl-");
        long created = System.currentTimeMillis() / 1000;
        List<ObjectNode> chunks = new ArrayList<>();
        if (chat) {
            ObjectNode first = chunkBase(id, created, true);
            ObjectNode delta = ((ObjectNode) first.withArray("choices").get(0)).putObject("delta");
            delta.put("role", "assistant");
            delta.put("content", "");
            chunks.add(first);
        }
        for (String piece : pieces(text)) {
            ObjectNode c = chunkBase(id, created, chat);
            ObjectNode choice = (ObjectNode) c.withArray("choices").get(0);
            if (chat) {
                choice.putObject("delta").put("content", piece);
            } else {
                choice.put("text", piece);
            }
            chunks.add(c);
        }
        ObjectNode last = chunkBase(id, created, chat);
        ObjectNode lastChoice = (ObjectNode) last.withArray("choices").get(0);
        if (chat) {
            lastChoice.putObject("delta");
        } else {
            lastChoice.put("text", "");
        }
        lastChoice.put("finish_reason", "stop");
        chunks.add(last);
        ObjectNode usageChunk = chunkBase(id, created, chat);
        usageChunk.putArray("choices");
        usageChunk.set("usage", usage(promptTokens(request.callType(), request.body()), completionTokens()));
        chunks.add(usageChunk);
        return ChunkStream.of(chunks);
    }

    /** Splits after whitespace so the pieces concatenate back to the text exactly. */
    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i)) && (i + 1 == text.length() || !Character.isWhitespace(text.charAt(i + 1)))) {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    private ObjectNode chunkBase(String id, long created, boolean chat) {
        ObjectNode c = envelope(id, chat ? "chat.completion.chunk" : "text_completion", created);
        c.putNull("system_fingerprint");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return c;
    }

    private static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    /** The fields every OpenAI answer and chunk starts with, in OpenAI's order. */
    private ObjectNode envelope(String id, String object, long created) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("id", id);
        r.put("object", object);
        r.put("created", created);
        r.put("model", model);
        return r;
    }

    private ObjectNode chat(ObjectNode request) {
        ObjectNode r = envelope(newId("chatcmpl-"), "chat.completion", System.currentTimeMillis() / 1000);
        r.putNull("system_fingerprint");
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text);
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        r.set("usage", usage(promptTokens(CallType.CHAT, request), completionTokens()));
        return r;
    }

    private ObjectNode completion(ObjectNode request) {
        ObjectNode r = envelope(newId("cmpl-"), "text_completion", System.currentTimeMillis() / 1000);
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("text", text);
        choice.put("index", 0);
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        r.set("usage", usage(promptTokens(CallType.COMPLETION, request), completionTokens()));
        return r;
    }

    private ObjectNode embedding(ObjectNode request) {
        JsonNode input = request.path("input");
        List<String> inputs = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(n -> inputs.add(n.isTextual() ? n.asText() : n.toString()));
        } else {
            inputs.add(input.asText());
        }
        int dims = request.path("dimensions").asInt(DEFAULT_DIMENSIONS);
        boolean base64 = "base64".equals(request.path("encoding_format").asText());
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("object", "list");
        ArrayNode data = r.putArray("data");
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            float[] vector = vector(inputs.get(i), Math.max(1, Math.min(dims, 4096)));
            if (base64) {
                ByteBuffer buf = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : vector) {
                    buf.putFloat(f);
                }
                e.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
            } else {
                ArrayNode arr = e.putArray("embedding");
                for (float f : vector) {
                    arr.add(f);
                }
            }
        }
        r.put("model", model);
        long prompt = tokens.input(model, Json.MAPPER.convertValue(input, Object.class));
        ObjectNode usage = r.putObject("usage");
        usage.put("prompt_tokens", prompt);
        usage.put("total_tokens", prompt);
        return r;
    }

    /** Deterministic unit vector derived from the text, so equal inputs embed equally. */
    private static float[] vector(String text, int dims) {
        java.util.Random random = new java.util.Random(text.hashCode());
        float[] v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dims; i++) {
            v[i] *= scale;
        }
        return v;
    }

    private long promptTokens(CallType type, ObjectNode request) {
        if (type == CallType.CHAT) {
            List<?> messages = Json.MAPPER.convertValue(request.path("messages"), List.class);
            return tokens.chatPrompt(model, messages == null ? List.of() : messages);
        }
        return tokens.input(model, Json.MAPPER.convertValue(request.path("prompt"), Object.class));
    }

    /** Counts a Responses request's instructions and input as chat messages would be counted. */
    private long responsesPrompt(ObjectNode request) {
        List<Object> messages = new ArrayList<>();
        if (request.path("instructions").isTextual()) {
            messages.add(java.util.Map.of("role", "system", "content", request.get("instructions").asText()));
        }
        JsonNode input = request.path("input");
        if (input.isTextual()) {
            messages.add(java.util.Map.of("role", "user", "content", input.asText()));
        } else {
            input.forEach(item -> messages.add(Json.MAPPER.convertValue(item, Object.class)));
        }
        return tokens.chatPrompt(model, messages);
    }

    private long completionTokens() {
        return tokens.text(model, text);
    }

    private static ObjectNode usage(long prompt, long completion) {
        ObjectNode u = Json.MAPPER.createObjectNode();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        return u;
    }
}
