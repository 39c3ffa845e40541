package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import dev.llmhub.core.anthropic.MessagesToChat;
import dev.llmhub.core.provider.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Anthropic's Messages API ({@code /v1/messages}). Usage: Anthropic's {@code input_tokens} excludes
 * cache reads and writes, the record's {@code prompt_tokens} includes them. The end user is
 * {@code metadata.user_id}, the one metadata field Anthropic itself accepts (and the only one sent on).
 */
final class MessagesApi implements ClientApi {
    static final MessagesApi INSTANCE = new MessagesApi();

    private MessagesApi() {
    }

    @Override
    public void validate(ObjectNode body) {
        Fields f = new Fields(body);
        f.model();
        f.positiveInteger("max_tokens", true);
        JsonNode messages = f.required("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw Fields.bad("messages", "'messages' must be a non-empty array of message objects");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("");
            if (!m.isObject() || !(role.equals("user") || role.equals("assistant"))) {
                throw Fields.bad("messages[" + i + "].role", "messages[" + i + "].role must be 'user' or 'assistant'");
            }
            JsonNode content = m.get("content");
            if (content == null || !content.isTextual() && !content.isArray()) {
                throw Fields.bad("messages[" + i + "].content",
                        "messages[" + i + "].content must be a string or an array of content blocks");
            }
        }
        JsonNode system = body.get("system");
        if (system != null && !system.isNull() && !system.isTextual() && !system.isArray()) {
            throw Fields.bad("system", "'system' must be a string or an array of text blocks");
        }
        f.bool("stream");
        f.bool("no-log");
        f.object("metadata");
        f.object("tool_choice");
        f.array("tools");
        f.array("stop_sequences");
        f.number("temperature");
        f.number("top_p");
        f.positiveInteger("top_k", false);
        f.string("mock_response");
    }

    @Override
    public ObjectNode upstreamBody(ObjectNode body) {
        ObjectNode out = ProxyFields.strip(body);
        JsonNode userId = body.path("metadata").path("user_id");
        if (userId.isTextual()) {
            out.putObject("metadata").put("user_id", userId.asText());
        }
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> messages(ObjectNode body) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode m : MessagesToChat.messages(body)) {
            out.add((Map<String, Object>) CallRecorder.plain(m));
        }
        return out;
    }

    @Override
    public Optional<String> user(ObjectNode body) {
        JsonNode id = body.path("metadata").path("user_id");
        return id.isTextual() ? Optional.of(id.asText()) : ClientApi.super.user(body);
    }

    @Override
    public Optional<Usage> usage(ObjectNode answer) {
        return usageOf(answer.path("usage"));
    }

    static Optional<Usage> usageOf(JsonNode u) {
        if (!u.isObject() || !u.has("input_tokens") && !u.has("output_tokens")) {
            return Optional.empty();
        }
        long read = u.path("cache_read_input_tokens").asLong(0);
        long write = u.path("cache_creation_input_tokens").asLong(0);
        long prompt = u.path("input_tokens").asLong(0) + read + write;
        long completion = u.path("output_tokens").asLong(0);
        return Optional.of(new Usage(prompt, completion, prompt + completion, read, 0, write, Usage.Source.PROVIDER));
    }

    @Override
    public void putUsage(ObjectNode answer, Usage usage) {
        ObjectNode u = answer.putObject("usage");
        u.put("input_tokens", usage.promptTokens() - usage.cachedTokens() - usage.cacheCreationTokens());
        u.put("cache_creation_input_tokens", usage.cacheCreationTokens());
        u.put("cache_read_input_tokens", usage.cachedTokens());
        u.put("output_tokens", usage.completionTokens());
    }

    @Override
    public String completionText(ObjectNode answer) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : answer.path("content")) {
            if (b.path("text").isTextual()) {
                sb.append(b.get("text").asText());
            } else if (b.path("type").asText().equals("tool_use")) {
                sb.append(b.path("name").asText("")).append(b.path("input"));
            }
        }
        return sb.toString();
    }

    @Override
    public ResponseContent content(ObjectNode answer, String fallbackId) {
        return Responses.content(MessagesToChat.response(answer), fallbackId);
    }

    @Override
    public StreamFold streamFold(ObjectNode body) {
        return new MessagesStreamFold();
    }

    /** Relays Anthropic's events as they are, and folds them into the Message they describe. */
    static final class MessagesStreamFold implements StreamFold {
        private final ObjectNode message = Json.MAPPER.createObjectNode();
        private final ArrayNode blocks = message.putArray("content");
        private final StringBuilder text = new StringBuilder();
        private final ObjectNode usage = Json.MAPPER.createObjectNode();

        @Override
        public String relay(ObjectNode event, ChunkWriter out) throws IOException {
            String type = event.path("type").asText("");
            String delta = "";
            switch (type) {
                case "message_start" -> {
                    JsonNode m = event.path("message");
                    message.put("id", m.path("id").asText(""));
                    message.put("model", m.path("model").asText(""));
                    merge(m.path("usage"));
                }
                case "content_block_start" -> {
                    int index = event.path("index").asInt(blocks.size());
                    while (blocks.size() <= index) {
                        blocks.addObject();
                    }
                    ObjectNode block = event.path("content_block").deepCopy();
                    if (block.path("type").asText().equals("tool_use")) {
                        block.put("partial_json", "");
                    }
                    blocks.set(index, block);
                }
                case "content_block_delta" -> {
                    JsonNode d = event.path("delta");
                    ObjectNode block = blocks.path(event.path("index").asInt(0)) instanceof ObjectNode b ? b : null;
                    delta = switch (d.path("type").asText("")) {
                        case "text_delta" -> d.path("text").asText("");
                        case "input_json_delta" -> d.path("partial_json").asText("");
                        case "thinking_delta" -> d.path("thinking").asText("");
                        default -> "";
                    };
                    if (block != null) {
                        String field = switch (d.path("type").asText("")) {
                            case "text_delta" -> "text";
                            case "input_json_delta" -> "partial_json";
                            case "thinking_delta" -> "thinking";
                            default -> null;
                        };
                        if (field != null) {
                            block.put(field, block.path(field).asText("") + delta);
                        }
                    }
                    text.append(delta);
                }
                case "message_delta" -> {
                    if (event.path("delta").path("stop_reason").isTextual()) {
                        message.put("stop_reason", event.get("delta").get("stop_reason").asText());
                    }
                    merge(event.path("usage"));
                }
                default -> {
                    // content_block_stop, message_stop, ping: nothing to fold
                }
            }
            out.write(type, StreamFold.json(event));
            return delta;
        }

        private void merge(JsonNode u) {
            if (u.isObject()) {
                u.properties().forEach(p -> {
                    if (p.getValue().isNumber()) {
                        usage.set(p.getKey(), p.getValue());
                    }
                });
            }
        }

        @Override
        public boolean isContent(ObjectNode event) {
            String type = event.path("type").asText("");
            if (type.equals("content_block_start")) {
                return event.path("content_block").path("type").asText().equals("tool_use");
            }
            if (type.equals("content_block_delta")) {
                JsonNode d = event.path("delta");
                return !d.path("text").asText("").isEmpty() || !d.path("partial_json").asText("").isEmpty();
            }
            return false;
        }

        @Override
        public Optional<Usage> usage() {
            // a chat upstream that sent no usage leaves zeros in the translated message_delta: count instead
            Optional<Usage> u = usageOf(usage);
            return u.filter(x -> x.totalTokens() > 0 || text.isEmpty());
        }

        @Override
        public Optional<String> model() {
            String m = message.path("model").asText("");
            return m.isEmpty() ? Optional.empty() : Optional.of(m);
        }

        @Override
        public String allText() {
            return text.toString();
        }

        @Override
        public ResponseContent response(String fallbackId) {
            ObjectNode m = message.deepCopy();
            ArrayNode content = m.putArray("content");
            for (JsonNode b : blocks) {
                ObjectNode block = ((ObjectNode) b).deepCopy();
                if (block.has("partial_json")) {
                    block.set("input", toolInput(block.remove("partial_json").asText()));
                }
                content.add(block);
            }
            return Responses.content(MessagesToChat.response(m), fallbackId);
        }

        private static JsonNode toolInput(String json) {
            try {
                return json.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(json);
            } catch (IOException e) {
                return Json.MAPPER.createObjectNode().put("arguments", json);
            }
        }

        @Override
        public void end(Usage usage, String callId, String model, ChunkWriter out) {
            // message_stop was relayed: an Anthropic stream has no end marker of its own
        }

        @Override
        public void error(ApiError error, ChunkWriter out) throws IOException {
            out.write("error", StreamFold.json(AnthropicErrors.body(error)));
        }
    }
}
