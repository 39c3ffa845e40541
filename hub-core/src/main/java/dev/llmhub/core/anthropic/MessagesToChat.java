package dev.llmhub.core.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.core.provider.AssistantMessage;
import dev.llmhub.core.provider.ChunkStream;
import dev.llmhub.core.provider.Json;
import dev.llmhub.core.provider.UpstreamException;
import java.util.Optional;

/**
 * Anthropic's Messages format into OpenAI's chat format: a Messages request into a chat request (an
 * Anthropic client reaching an OpenAI-compatible deployment, and the record's messages), a Message
 * into a chat completion, and a Messages event stream into chat chunks (an OpenAI client reaching an
 * Anthropic deployment). Tolerant of odd shapes: what it does not know it leaves out.
 */
public final class MessagesToChat {
    private MessagesToChat() {
    }

    /**
     * @param request a Messages request body
     * @return its {@code system} and {@code messages} as chat messages: system first, {@code tool_use}
     *         blocks as {@code tool_calls}, {@code tool_result} blocks as {@code tool} messages, images as
     *         {@code image_url} parts, documents as {@code file} parts
     */
    public static ArrayNode messages(JsonNode request) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        JsonNode system = request.path("system");
        if (system.isTextual() || system.isArray()) {
            String text = Formats.text(system, "\n");
            if (!text.isEmpty()) {
                out.addObject().put("role", "system").put("content", text);
            }
        }
        for (JsonNode m : request.path("messages")) {
            if (!m.isObject()) {
                continue;
            }
            String role = m.path("role").asText("user");
            JsonNode content = m.path("content");
            if (!content.isArray()) {
                out.addObject().put("role", role).set("content", content.isMissingNode() ? Json.MAPPER.nullNode() : content);
            } else if (role.equals("assistant")) {
                out.add(assistant(content));
            } else {
                user(role, content, out);
            }
        }
        return out;
    }

    private static ObjectNode assistant(JsonNode blocks) {
        ObjectNode msg = Json.MAPPER.createObjectNode().put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (JsonNode b : blocks) {
            switch (b.path("type").asText("")) {
                case "text" -> text.append(b.path("text").asText(""));
                case "tool_use" -> {
                    ObjectNode call = calls.addObject();
                    call.put("id", b.path("id").asText(""));
                    call.put("type", "function");
                    call.putObject("function").put("name", b.path("name").asText(""))
                            .put("arguments", Formats.json(b.path("input").isMissingNode()
                                    ? Json.MAPPER.createObjectNode() : b.get("input")));
                }
                default -> {
                    // thinking and server-tool blocks have no chat equivalent
                }
            }
        }
        return AssistantMessage.fill(msg, text, calls);
    }

    private static void user(String role, JsonNode blocks, ArrayNode out) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (JsonNode b : blocks) {
            switch (b.path("type").asText("")) {
                case "text" -> parts.addObject().put("type", "text").put("text", b.path("text").asText(""));
                case "image" -> Formats.sourceUrl(b.path("source")).ifPresent(url ->
                        parts.addObject().put("type", "image_url").putObject("image_url").put("url", url));
                case "document" -> Formats.sourceUrl(b.path("source")).ifPresent(url -> {
                    ObjectNode file = parts.addObject().put("type", "file").putObject("file");
                    file.put("file_data", url);
                    if (b.path("title").isTextual()) {
                        file.put("filename", b.get("title").asText());
                    }
                });
                case "tool_result" -> {
                    // a tool answer is its own chat message, right after the assistant's call
                    JsonNode c = b.path("content");
                    out.addObject().put("role", "tool").put("tool_call_id", b.path("tool_use_id").asText(""))
                            .put("content", c.isMissingNode() || c.isNull() ? "" : Formats.text(c, "\n"));
                }
                default -> {
                    // search results, server-tool results: no chat equivalent
                }
            }
        }
        if (!parts.isEmpty()) {
            boolean onlyText = true;
            for (JsonNode p : parts) {
                onlyText &= p.path("type").asText().equals("text");
            }
            ObjectNode msg = out.addObject().put("role", role);
            if (onlyText && parts.size() == 1) {
                msg.put("content", parts.get(0).path("text").asText());
            } else {
                msg.set("content", parts);
            }
        }
    }

    /**
     * @param request a Messages request body (proxy-only fields already removed)
     * @return the chat request asking the same
     * @throws UpstreamException (400) for what chat cannot ask: Anthropic's server tools
     */
    public static ObjectNode request(ObjectNode request) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        if (request.has("model")) {
            c.set("model", request.get("model"));
        }
        c.set("messages", messages(request));
        copy(request, "max_tokens", c, "max_tokens");
        copy(request, "temperature", c, "temperature");
        copy(request, "top_p", c, "top_p");
        copy(request, "stream", c, "stream");
        JsonNode stop = request.path("stop_sequences");
        if (stop.isArray() && !stop.isEmpty()) {
            c.set("stop", stop);
        }
        if (request.path("metadata").path("user_id").isTextual()) {
            c.put("user", request.get("metadata").get("user_id").asText());
        }
        JsonNode tools = request.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            ArrayNode out = c.putArray("tools");
            for (JsonNode t : tools) {
                String type = t.path("type").asText("custom");
                if (!type.equals("custom")) {
                    throw new UpstreamException(400, "invalid_request_error", "tool '" + t.path("name").asText()
                            + "' is Anthropic's server tool " + type + "; an OpenAI-compatible deployment cannot run it",
                            Optional.of("unsupported_tool"), false, Optional.empty());
                }
                ObjectNode fn = out.addObject().put("type", "function").putObject("function");
                fn.put("name", t.path("name").asText(""));
                if (t.path("description").isTextual()) {
                    fn.put("description", t.get("description").asText());
                }
                fn.set("parameters", t.path("input_schema").isObject() ? t.get("input_schema")
                        : Json.MAPPER.createObjectNode().put("type", "object"));
            }
        }
        JsonNode choice = request.path("tool_choice");
        if (choice.isObject()) {
            switch (choice.path("type").asText("")) {
                case "auto" -> c.put("tool_choice", "auto");
                case "any" -> c.put("tool_choice", "required");
                case "none" -> c.put("tool_choice", "none");
                case "tool" -> c.putObject("tool_choice").put("type", "function").putObject("function")
                        .put("name", choice.path("name").asText(""));
                default -> {
                }
            }
            if (choice.path("disable_parallel_tool_use").asBoolean(false) && c.has("tools")) {
                c.put("parallel_tool_calls", false);
            }
        }
        return c;
    }

    /**
     * @param message an Anthropic Message
     * @return the chat completion saying the same
     */
    public static ObjectNode response(JsonNode message) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("id", message.path("id").asText(""));
        c.put("object", "chat.completion");
        c.put("created", System.currentTimeMillis() / 1000);
        c.put("model", message.path("model").asText(""));
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode msg = assistant(message.path("content"));
        String thinking = thinking(message.path("content"));
        if (!thinking.isEmpty()) {
            msg.put("reasoning_content", thinking);
        }
        choice.set("message", msg);
        choice.putNull("logprobs");
        choice.put("finish_reason", Formats.finishReason(message.path("stop_reason").asText(null)));
        if (message.path("usage").isObject()) {
            c.set("usage", Formats.chatUsage(message.get("usage")));
        }
        return c;
    }

    private static String thinking(JsonNode blocks) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : blocks) {
            if (b.path("type").asText().equals("thinking")) {
                sb.append(b.path("thinking").asText(""));
            }
        }
        return sb.toString();
    }

    /**
     * @param events an Anthropic Messages event stream
     * @return the same answer as chat chunks: a role chunk, content and tool-call deltas, a chunk with
     *         the finish reason, and a usage chunk (no choices) at the end
     */
    public static ChunkStream stream(ChunkStream events) {
        return new EventsToChunks(events);
    }

    private static final class EventsToChunks extends TranslatedStream {
        private final long created = System.currentTimeMillis() / 1000;
        private String id = "";
        private String model = "";
        private ObjectNode usage = Json.MAPPER.createObjectNode();
        private int toolIndex = -1;

        EventsToChunks(ChunkStream events) {
            super(events);
        }

        @Override
        void translate(ObjectNode e) {
            switch (e.path("type").asText("")) {
                case "message_start" -> {
                    JsonNode m = e.path("message");
                    id = m.path("id").asText("");
                    model = m.path("model").asText("");
                    mergeUsage(m.path("usage"));
                    delta().put("role", "assistant").put("content", "");
                }
                case "content_block_start" -> {
                    JsonNode b = e.path("content_block");
                    if (b.path("type").asText().equals("tool_use")) {
                        toolIndex++;
                        ObjectNode call = delta().putArray("tool_calls").addObject();
                        call.put("index", toolIndex).put("id", b.path("id").asText("")).put("type", "function");
                        call.putObject("function").put("name", b.path("name").asText("")).put("arguments", "");
                    } else if (b.path("type").asText().equals("text") && !b.path("text").asText("").isEmpty()) {
                        delta().put("content", b.get("text").asText());
                    }
                }
                case "content_block_delta" -> {
                    JsonNode d = e.path("delta");
                    switch (d.path("type").asText("")) {
                        case "text_delta" -> delta().put("content", d.path("text").asText(""));
                        case "input_json_delta" -> delta().putArray("tool_calls").addObject().put("index", toolIndex)
                                .putObject("function").put("arguments", d.path("partial_json").asText(""));
                        case "thinking_delta" -> delta().put("reasoning_content", d.path("thinking").asText(""));
                        default -> {
                        }
                    }
                }
                case "message_delta" -> {
                    mergeUsage(e.path("usage"));
                    String stop = e.path("delta").path("stop_reason").asText(null);
                    if (stop != null) {
                        ObjectNode chunk = chunk();
                        ObjectNode choice = (ObjectNode) chunk.get("choices").get(0);
                        choice.putObject("delta");
                        choice.put("finish_reason", Formats.finishReason(stop));
                        emit(chunk);
                    }
                }
                case "message_stop" -> {
                    ObjectNode chunk = chunk();
                    chunk.putArray("choices");
                    chunk.set("usage", Formats.chatUsage(usage));
                    emit(chunk);
                }
                default -> {
                    // ping, content_block_stop: nothing to say in chat
                }
            }
        }

        /** Usage in message_delta is cumulative and may repeat message_start's input counts. */
        private void mergeUsage(JsonNode u) {
            if (u.isObject()) {
                u.properties().forEach(p -> {
                    if (p.getValue().isNumber()) {
                        usage.set(p.getKey(), p.getValue());
                    }
                });
            }
        }

        private ObjectNode delta() {
            ObjectNode chunk = chunk();
            emit(chunk);
            return ((ObjectNode) chunk.get("choices").get(0)).putObject("delta");
        }

        private ObjectNode chunk() {
            ObjectNode c = Json.MAPPER.createObjectNode();
            c.put("id", id);
            c.put("object", "chat.completion.chunk");
            c.put("created", created);
            c.put("model", model);
            ObjectNode choice = c.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putNull("finish_reason");
            return c;
        }
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull()) {
            to.set(as, v);
        }
    }
}
