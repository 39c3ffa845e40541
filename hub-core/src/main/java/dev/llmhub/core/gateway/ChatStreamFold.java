package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import dev.llmhub.core.provider.Json;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Folds streamed chunks back into the one response a non-streamed call would have returned: text,
 * tool calls (arguments concatenated per index), finish reasons, ids and the provider's usage.
 */
final class StreamAssembler {
    private final CallType type;
    private final Map<Integer, ObjectNode> choices = new TreeMap<>();
    private final Map<Integer, StringBuilder> text = new TreeMap<>();
    private final Map<Integer, Map<Integer, ObjectNode>> toolCalls = new TreeMap<>();
    private String id;
    private long created;
    private String model;
    private String fingerprint;
    private Usage usage;

    StreamAssembler(CallType type) {
        this.type = type;
    }

    /** @return the text this chunk adds (for the stream event) */
    String add(JsonNode chunk) {
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

    Optional<Usage> providerUsage() {
        return Optional.ofNullable(usage);
    }

    Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** @return all generated text and tool arguments, for estimating completion tokens */
    String allText() {
        StringBuilder sb = new StringBuilder();
        text.values().forEach(sb::append);
        toolCalls.values().forEach(m -> m.values().forEach(c -> sb.append(c.path("function").path("name").asText())
                .append(c.path("function").path("arguments").asText())));
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    ResponseContent response(String fallbackId) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("id", id != null ? id : fallbackId);
        body.put("created", created != 0 ? created : System.currentTimeMillis() / 1000);
        if (fingerprint != null) {
            body.put("system_fingerprint", fingerprint);
        }
        ArrayNode out = body.putArray("choices");
        choices.forEach((index, c) -> {
            ObjectNode choice = out.addObject();
            choice.put("index", index);
            if (type == CallType.CHAT) {
                ObjectNode message = choice.putObject("message");
                message.put("role", c.path("role").asText("assistant"));
                String t = text.getOrDefault(index, new StringBuilder()).toString();
                Map<Integer, ObjectNode> calls = toolCalls.get(index);
                if (t.isEmpty() && calls != null) {
                    message.putNull("content");
                } else {
                    message.put("content", t);
                }
                if (calls != null) {
                    ArrayNode arr = message.putArray("tool_calls");
                    calls.values().forEach(arr::add);
                }
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

    /** @return whether a chunk carries generated content (text or a tool call), for the first-token time */
    static boolean isContent(JsonNode chunk) {
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
