package dev.llmhub.core.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.core.provider.ChunkStream;
import dev.llmhub.core.provider.Json;
import dev.llmhub.core.provider.UpstreamException;
import java.util.Optional;

/**
 * OpenAI's chat format into Anthropic's Messages format: a chat request into a Messages request (an
 * OpenAI client reaching an Anthropic deployment), a chat completion into a Message and chat chunks
 * into Anthropic's event stream (an Anthropic client reaching an OpenAI-compatible deployment).
 */
public final class ChatToMessages {
    /** Anthropic requires {@code max_tokens}; chat does not. LiteLLM's default. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    private ChatToMessages() {
    }

    /**
     * @param chat a chat request body (proxy-only fields already removed)
     * @return the Messages request asking the same
     * @throws UpstreamException (400) for what Messages cannot ask ({@code n} above 1)
     */
    public static ObjectNode request(ObjectNode chat) {
        if (chat.path("n").asInt(1) > 1) {
            throw unsupported("n", "an Anthropic deployment answers one choice; 'n' must be 1");
        }
        ObjectNode m = Json.MAPPER.createObjectNode();
        if (chat.has("model")) {
            m.set("model", chat.get("model"));
        }
        long max = chat.path("max_completion_tokens").asLong(chat.path("max_tokens").asLong(DEFAULT_MAX_TOKENS));
        m.put("max_tokens", max);
        StringBuilder system = new StringBuilder();
        ArrayNode messages = m.putArray("messages");
        for (JsonNode msg : chat.path("messages")) {
            String role = msg.path("role").asText("");
            switch (role) {
                case "system", "developer" -> {
                    if (!system.isEmpty()) {
                        system.append("\n");
                    }
                    system.append(Formats.text(msg.path("content"), "\n"));
                }
                case "assistant" -> append(messages, "assistant", assistantBlocks(msg));
                case "tool" -> {
                    ObjectNode result = Json.MAPPER.createObjectNode().put("type", "tool_result")
                            .put("tool_use_id", msg.path("tool_call_id").asText(""));
                    result.put("content", Formats.text(msg.path("content"), "\n"));
                    append(messages, "user", Json.MAPPER.createArrayNode().add(result));
                }
                default -> append(messages, "user", userBlocks(msg.path("content")));
            }
        }
        if (!system.isEmpty()) {
            m.put("system", system.toString());
        }
        for (String f : new String[] {"temperature", "top_p", "stream"}) {
            if (chat.hasNonNull(f)) {
                m.set(f, chat.get(f));
            }
        }
        JsonNode stop = chat.path("stop");
        if (stop.isTextual()) {
            m.putArray("stop_sequences").add(stop.asText());
        } else if (stop.isArray() && !stop.isEmpty()) {
            m.set("stop_sequences", stop);
        }
        if (chat.path("user").isTextual()) {
            m.putObject("metadata").put("user_id", chat.get("user").asText());
        }
        JsonNode tools = chat.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            ArrayNode out = m.putArray("tools");
            for (JsonNode t : tools) {
                JsonNode fn = t.path("function");
                ObjectNode tool = out.addObject().put("name", fn.path("name").asText(""));
                if (fn.path("description").isTextual()) {
                    tool.put("description", fn.get("description").asText());
                }
                tool.set("input_schema", fn.path("parameters").isObject() ? fn.get("parameters")
                        : Json.MAPPER.createObjectNode().put("type", "object"));
            }
            ObjectNode choice = toolChoice(chat.get("tool_choice"));
            if (chat.path("parallel_tool_calls").isBoolean() && !chat.get("parallel_tool_calls").asBoolean()) {
                choice.put("disable_parallel_tool_use", true);
            }
            m.set("tool_choice", choice);
        }
        return m;
    }

    private static ObjectNode toolChoice(JsonNode choice) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (choice == null || choice.isNull()) {
            return out.put("type", "auto");
        }
        if (choice.isTextual()) {
            return out.put("type", switch (choice.asText()) {
                case "required" -> "any";
                case "none" -> "none";
                default -> "auto";
            });
        }
        return out.put("type", "tool").put("name", choice.path("function").path("name").asText(""));
    }

    private static ArrayNode assistantBlocks(JsonNode msg) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        String text = msg.path("content").isNull() ? "" : Formats.text(msg.path("content"), "");
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : msg.path("tool_calls")) {
            ObjectNode use = blocks.addObject().put("type", "tool_use").put("id", call.path("id").asText(""))
                    .put("name", call.path("function").path("name").asText(""));
            use.set("input", Formats.toolInput(call.path("function").path("arguments").asText("")));
        }
        return blocks;
    }

    private static ArrayNode userBlocks(JsonNode content) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        if (content.isTextual()) {
            blocks.addObject().put("type", "text").put("text", content.asText());
            return blocks;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asText("")) {
                case "text" -> blocks.addObject().put("type", "text").put("text", part.path("text").asText(""));
                case "image_url" -> {
                    JsonNode url = part.path("image_url");
                    String u = url.isTextual() ? url.asText() : url.path("url").asText("");
                    blocks.addObject().put("type", "image").set("source", Formats.source(u));
                }
                case "file" -> {
                    String data = part.path("file").path("file_data").asText("");
                    if (!data.isEmpty()) {
                        blocks.addObject().put("type", "document").set("source", Formats.source(data));
                    }
                }
                default -> throw unsupported("messages", "content part type '" + part.path("type").asText()
                        + "' cannot be sent to an Anthropic deployment");
            }
        }
        return blocks;
    }

    /** Anthropic wants alternating turns: consecutive blocks of one role go into one message. */
    private static void append(ArrayNode messages, String role, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && last.path("role").asText().equals(role)) {
            ((ArrayNode) last.get("content")).addAll(blocks);
        } else {
            messages.addObject().put("role", role).set("content", blocks);
        }
    }

    /**
     * @param chat a chat completion
     * @return the Message saying the same (its first choice); without usage when the completion had
     *         none (the gateway counts it then)
     */
    public static ObjectNode response(JsonNode chat) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("id", messageId(chat.path("id").asText("")));
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", chat.path("model").asText(""));
        JsonNode choice = chat.path("choices").path(0);
        m.set("content", assistantBlocks(choice.path("message")));
        m.put("stop_reason", Formats.stopReason(choice.path("finish_reason").asText("stop")));
        m.putNull("stop_sequence");
        if (chat.path("usage").isObject()) {
            m.set("usage", Formats.anthropicUsage(chat.get("usage")));
        }
        return m;
    }

    private static String messageId(String chatId) {
        return chatId.startsWith("msg_") ? chatId : "msg_" + chatId.replaceFirst("^chatcmpl-", "");
    }

    /**
     * @param chunks chat chunks (with a usage chunk at the end when the upstream sends one)
     * @return Anthropic's event stream for the same answer: {@code message_start}, per content block
     *         {@code content_block_start}, {@code content_block_delta}…, {@code content_block_stop}
     *         (a {@code ping} after the first start, as Anthropic sends), then {@code message_delta}
     *         with the stop reason and usage, and {@code message_stop}
     */
    public static ChunkStream stream(ChunkStream chunks) {
        return new ChunksToEvents(chunks);
    }

    private static final class ChunksToEvents extends TranslatedStream {
        private boolean started;
        private boolean pinged;
        private int block = -1;
        private String blockType;
        private int toolIndex = -1;
        private String stopReason;
        private JsonNode usage;

        ChunksToEvents(ChunkStream chunks) {
            super(chunks);
        }

        @Override
        void translate(ObjectNode chunk) {
            if (!started) {
                started = true;
                ObjectNode message = Json.MAPPER.createObjectNode();
                message.put("id", messageId(chunk.path("id").asText("")));
                message.put("type", "message");
                message.put("role", "assistant");
                message.putArray("content");
                message.put("model", chunk.path("model").asText(""));
                message.putNull("stop_reason");
                message.putNull("stop_sequence");
                // chat streams report usage at the end; message_delta carries the real counts
                message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
                event("message_start").set("message", message);
            }
            if (chunk.path("usage").isObject()) {
                usage = chunk.get("usage");
            }
            for (JsonNode choice : chunk.path("choices")) {
                if (choice.path("index").asInt(0) != 0) {
                    continue;
                }
                JsonNode delta = choice.path("delta");
                if (delta.path("content").isTextual() && !delta.get("content").asText().isEmpty()) {
                    if (!"text".equals(blockType)) {
                        open("text", Json.MAPPER.createObjectNode().put("type", "text").put("text", ""));
                    }
                    event("content_block_delta").put("index", block).putObject("delta").put("type", "text_delta")
                            .put("text", delta.get("content").asText());
                }
                for (JsonNode call : delta.path("tool_calls")) {
                    int index = call.path("index").asInt(toolIndex < 0 ? 0 : toolIndex);
                    if (index != toolIndex || !"tool_use".equals(blockType)) {
                        toolIndex = index;
                        ObjectNode use = Json.MAPPER.createObjectNode().put("type", "tool_use")
                                .put("id", call.path("id").asText("toolu_" + index))
                                .put("name", call.path("function").path("name").asText(""));
                        use.putObject("input");
                        open("tool_use", use);
                    }
                    String args = call.path("function").path("arguments").asText("");
                    if (!args.isEmpty()) {
                        event("content_block_delta").put("index", block).putObject("delta")
                                .put("type", "input_json_delta").put("partial_json", args);
                    }
                }
                if (choice.path("finish_reason").isTextual()) {
                    stopReason = Formats.stopReason(choice.get("finish_reason").asText());
                }
            }
        }

        private void open(String type, ObjectNode contentBlock) {
            closeBlock();
            block++;
            blockType = type;
            event("content_block_start").put("index", block).set("content_block", contentBlock);
            if (!pinged) {
                pinged = true;
                event("ping");
            }
        }

        private void closeBlock() {
            if (blockType != null) {
                event("content_block_stop").put("index", block);
                blockType = null;
            }
        }

        @Override
        void finish() {
            if (!started) {
                return;
            }
            closeBlock();
            ObjectNode delta = event("message_delta");
            delta.putObject("delta").put("stop_reason", stopReason == null ? "end_turn" : stopReason)
                    .putNull("stop_sequence");
            delta.set("usage", Formats.anthropicUsage(usage == null ? Json.MAPPER.createObjectNode() : usage));
            event("message_stop");
        }

        private ObjectNode event(String type) {
            ObjectNode e = Json.MAPPER.createObjectNode().put("type", type);
            emit(e);
            return e;
        }
    }

    private static UpstreamException unsupported(String param, String message) {
        return new UpstreamException(400, "invalid_request_error", message, Optional.of("unsupported_" + param),
                false, Optional.empty());
    }
}
