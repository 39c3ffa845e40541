package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import dev.llmhub.core.provider.AssistantMessage;
import dev.llmhub.core.provider.Json;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * OpenAI's chat and text-completion streams: relays each chunk as a {@code data:} event and ends with
 * {@code [DONE]}; drops the usage chunk the proxy asked for unless the client asked for it too (or adds
 * one, estimated, when the client asked and the upstream sent none). Folds the chunks back into the
 * one response a non-streamed call would have returned: text, tool calls (arguments concatenated per
 * index), finish reasons, ids and the provider's usage.
 */
final class ChatStreamFold implements StreamFold {
    private final CallType type;
    private final boolean includeUsage;
    private final Map<Integer, ObjectNode> choices = new TreeMap<>();
    private final Map<Integer, StringBuilder> text = new TreeMap<>();
    private final Map<Integer, Map<Integer, ObjectNode>> toolCalls = new TreeMap<>();
    private String id;
    private long created;
    private String model;
    private String fingerprint;
    private String serviceTier;
    private Usage usage;

    /**
     * @param type         chat or completion
     * @param includeUsage whether the client asked for {@code stream_options.include_usage}
     */
    ChatStreamFold(CallType type, boolean includeUsage) {
        this.type = type;
        this.includeUsage = includeUsage;
    }

    @Override
    public String relay(ObjectNode chunk, ChunkWriter out) throws IOException {
        String delta = add(chunk);
        boolean usageOnly = chunk.path("choices").isEmpty() && chunk.has("usage");
        if (!includeUsage) {
            if (usageOnly) {
                return null;
            }
            chunk.remove("usage");
        }
        out.write(null, StreamFold.json(chunk));
        return delta;
    }

    @Override
    public void end(Usage usage, String callId, String responseModel, ChunkWriter out) throws IOException {
        if (includeUsage && this.usage == null) {
            ObjectNode usageChunk = Json.MAPPER.createObjectNode();
            usageChunk.put("id", callId);
            usageChunk.put("object", type == CallType.CHAT ? "chat.completion.chunk" : "text_completion");
            usageChunk.put("created", System.currentTimeMillis() / 1000);
            usageChunk.put("model", responseModel);
            usageChunk.putArray("choices");
            usageChunk.set("usage", Responses.usageJson(usage, false));
            out.write(null, StreamFold.json(usageChunk));
        }
        out.write(null, "[DONE]");
    }

    @Override
    public void error(ApiError error, ChunkWriter out) throws IOException {
        out.write(null, StreamFold.json(error.toJson()));
        out.write(null, "[DONE]");
    }

    /** @return the text this chunk adds (for the stream event) */
    private String add(JsonNode chunk) {
        if (id == null && chunk.path("id").isTextual()) {
            id = chunk.get("id").asText();
        }
        if (created == 0) {
            created = chunk.path("created").asLong(0);
        }
        if (chunk.path("model").isTextual()) {
            model = chunk.get("model").asText();
        }
        if (chunk.path("system_fingerprint").isTextual()) {
            fingerprint = chunk.get("system_fingerprint").asText();
        }
        if (chunk.path("service_tier").isTextual()) {
            serviceTier = chunk.get("service_tier").asText();
        }
        Responses.usage(chunk).ifPresent(u -> usage = u);
        StringBuilder added = new StringBuilder();
        for (JsonNode c : chunk.path("choices")) {
            int index = c.path("index").asInt(0);
            ObjectNode choice = choices.computeIfAbsent(index, i -> {
                ObjectNode n = Json.MAPPER.createObjectNode();
                n.put("index", i);
                return n;
            });
            StringBuilder sb = text.computeIfAbsent(index, i -> new StringBuilder());
            if (c.path("finish_reason").isTextual()) {
                choice.put("finish_reason", c.get("finish_reason").asText());
            }
            if (type == CallType.CHAT) {
                JsonNode delta = c.path("delta");
                if (delta.path("role").isTextual()) {
                    choice.put("role", delta.get("role").asText());
                }
                if (delta.path("content").isTextual()) {
                    sb.append(delta.get("content").asText());
                    added.append(delta.get("content").asText());
                }
                for (JsonNode tc : delta.path("tool_calls")) {
                    ObjectNode call = toolCalls.computeIfAbsent(index, i -> new TreeMap<>())
                            .computeIfAbsent(tc.path("index").asInt(0), i -> {
                                ObjectNode n = Json.MAPPER.createObjectNode();
                                n.putObject("function").put("name", "").put("arguments", "");
                                return n;
                            });
                    if (tc.path("id").isTextual()) {
                        call.put("id", tc.get("id").asText());
                    }
                    if (tc.path("type").isTextual()) {
                        call.put("type", tc.get("type").asText());
                    }
                    ObjectNode fn = (ObjectNode) call.get("function");
                    JsonNode f = tc.path("function");
                    if (f.path("name").isTextual()) {
                        fn.put("name", fn.get("name").asText() + f.get("name").asText());
                    }
                    if (f.path("arguments").isTextual()) {
                        fn.put("arguments", fn.get("arguments").asText() + f.get("arguments").asText());
                        added.append(f.get("arguments").asText());
                    }
                }
            } else if (c.path("text").isTextual()) {
                sb.append(c.get("text").asText());
                added.append(c.get("text").asText());
            }
        }
        return added.toString();
    }

    @Override
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    @Override
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    @Override
    public String allText() {
        StringBuilder sb = new StringBuilder();
        text.values().forEach(sb::append);
        toolCalls.values().forEach(m -> m.values().forEach(c -> sb.append(c.path("function").path("name").asText())
                .append(c.path("function").path("arguments").asText())));
        return sb.toString();
    }

    @Override
    public ResponseContent response(String fallbackId) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("id", id != null ? id : fallbackId);
        body.put("created", created != 0 ? created : System.currentTimeMillis() / 1000);
        if (fingerprint != null) {
            body.put("system_fingerprint", fingerprint);
        }
        if (serviceTier != null) {
            body.put("service_tier", serviceTier);
        }
        ArrayNode out = body.putArray("choices");
        choices.forEach((index, c) -> {
            ObjectNode choice = out.addObject();
            choice.put("index", index);
            if (type == CallType.CHAT) {
                ObjectNode message = choice.putObject("message");
                message.put("role", c.path("role").asText("assistant"));
                ArrayNode calls = Json.MAPPER.createArrayNode();
                toolCalls.getOrDefault(index, Map.of()).values().forEach(calls::add);
                AssistantMessage.fill(message, text.getOrDefault(index, new StringBuilder()), calls);
            } else {
                choice.put("text", text.getOrDefault(index, new StringBuilder()).toString());
            }
            if (c.has("finish_reason")) {
                choice.put("finish_reason", c.get("finish_reason").asText());
            } else {
                choice.putNull("finish_reason");
            }
        });
        return Responses.content(body, fallbackId);
    }

    @Override
    public boolean isContent(ObjectNode chunk) {
        for (JsonNode c : chunk.path("choices")) {
            JsonNode delta = c.path("delta");
            if (delta.path("content").isTextual() && !delta.get("content").asText().isEmpty()
                    || delta.has("tool_calls") || c.path("text").isTextual() && !c.get("text").asText().isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
