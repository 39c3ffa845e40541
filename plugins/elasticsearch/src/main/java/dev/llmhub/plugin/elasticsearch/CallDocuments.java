package dev.llmhub.plugin.elasticsearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallRecord;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a call record into the document indexed for it: the record's documented JSON form
 * ({@code docs/call-record.md}) with a few changes so one mapping fits every record
 * ({@code docs/destinations/elasticsearch.md}, "Document shape"):
 * <ul>
 *   <li>{@code @timestamp} = {@code start_time}, which a data stream requires;</li>
 *   <li>{@code tags} = the string values of {@code metadata.tags}, as a keyword array;</li>
 *   <li>{@code time_to_first_token_ms}, for streams;</li>
 *   <li>each message keeps {@code role}, {@code name} and its {@code content} as plain text; content
 *       given as parts (multimodal, several embedding inputs) is joined into that text and kept as sent
 *       in {@code content_parts}; every other key (tool calls…) moves under {@code extra};</li>
 *   <li>{@code response.content} = the text of every choice; the choices as sent stay in
 *       {@code response.choices}.</li>
 * </ul>
 * What moved under {@code content_parts}, {@code extra} and {@code response.choices} is stored but not
 * indexed (the mapping is {@code dynamic: false}), so no value in them can ever make a document fail
 * to index.
 */
final class CallDocuments {
    private final Function<CallRecord, String> toJson;
    private final ObjectMapper mapper;

    /**
     * @param toJson the proxy's writer of a record's documented JSON form ({@code PluginContext.toJson})
     * @param mapper parses that JSON
     */
    CallDocuments(Function<CallRecord, String> toJson, ObjectMapper mapper) {
        this.toJson = toJson;
        this.mapper = mapper;
    }

    /**
     * @param record a record
     * @return its document
     * @throws IllegalArgumentException when the record's JSON cannot be read back (a bug in the proxy)
     */
    ObjectNode of(CallRecord record) {
        JsonNode tree;
        try {
            tree = mapper.readTree(toJson.apply(record));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the record's JSON form is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode source)) {
            throw new IllegalArgumentException("the record's JSON form is not an object");
        }
        ObjectNode doc = mapper.createObjectNode();
        doc.put("@timestamp", record.startTime().toString());
        doc.setAll(source);
        record.firstTokenTime().ifPresent(t ->
                doc.put("time_to_first_token_ms", Duration.between(record.startTime(), t).toMillis()));
        doc.set("tags", tags(source.path("metadata").path("tags")));
        if (source.get("messages") instanceof ArrayNode messages) {
            ArrayNode shaped = doc.putArray("messages");
            messages.forEach(m -> shaped.add(message(m)));
        }
        if (source.get("response") instanceof ObjectNode response) {
            ObjectNode shaped = response.deepCopy();
            shaped.put("content", responseText(response.path("choices")));
            doc.set("response", shaped);
        }
        return doc;
    }

    private ArrayNode tags(JsonNode tags) {
        ArrayNode out = mapper.createArrayNode();
        if (tags.isValueNode() && !tags.isNull()) {
            out.add(tags.asText());
        } else if (tags.isArray()) {
            tags.forEach(t -> {
                if (t.isValueNode() && !t.isNull()) {
                    out.add(t.asText());
                }
            });
        }
        return out;
    }

    private JsonNode message(JsonNode m) {
        if (!(m instanceof ObjectNode in)) {
            ObjectNode odd = mapper.createObjectNode();
            odd.set("extra", m);
            return odd;
        }
        ObjectNode out = mapper.createObjectNode();
        ObjectNode extra = mapper.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = in.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "role", "name" -> {
                    if (v.isTextual()) {
                        out.set(f.getKey(), v);
                    } else {
                        extra.set(f.getKey(), v);
                    }
                }
                case "content" -> {
                    if (v.isTextual() || v.isNull()) {
                        out.set("content", v);
                    } else {
                        out.put("content", partsText(v));
                        out.set("content_parts", v);
                    }
                }
                default -> extra.set(f.getKey(), v);
            }
        }
        if (!extra.isEmpty()) {
            out.set("extra", extra);
        }
        return out;
    }

    /** Text of OpenAI content parts ({@code {"type":"text","text":...}}) or of a list of strings. */
    private static String partsText(JsonNode parts) {
        StringBuilder text = new StringBuilder();
        Iterable<JsonNode> items = parts.isArray() ? parts : java.util.List.of(parts);
        for (JsonNode p : items) {
            String t = p.isTextual() ? p.asText() : p.path("text").isTextual() ? p.path("text").asText() : null;
            if (t != null) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(t);
            }
        }
        return text.toString();
    }

    /** The text the client received: each choice's message content (chat) or text (completion). */
    private static String responseText(JsonNode choices) {
        StringBuilder text = new StringBuilder();
        for (JsonNode c : choices) {
            JsonNode content = c.path("message").path("content");
            String t = content.isTextual() ? content.asText()
                    : content.isArray() ? partsText(content)
                    : c.path("text").isTextual() ? c.path("text").asText() : null;
            if (t != null && !t.isEmpty()) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(t);
            }
        }
        return text.toString();
    }
}
