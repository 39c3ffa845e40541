package dev.llmhub.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The mock's answers in OpenAI's Responses API: a completed {@code response} object with one output
 * message, and the event sequence a streamed one sends ({@code response.created},
 * {@code response.in_progress}, {@code response.output_item.added}, {@code response.content_part.added},
 * {@code response.output_text.delta}…, {@code response.output_text.done}, {@code response.content_part.done},
 * {@code response.output_item.done}, {@code response.completed}), every event numbered.
 */
final class MockResponses {
    private final String model;
    private final String text;
    private final ObjectNode request;
    private final String id = "resp_" + hex();
    private final String itemId = "msg_" + hex();
    private final long created = System.currentTimeMillis() / 1000;

    MockResponses(String model, String text, ObjectNode request) {
        this.model = model;
        this.text = text;
        this.request = request;
    }

    /** @return the complete response */
    ObjectNode response(long inputTokens, long outputTokens) {
        ObjectNode r = base("completed");
        r.withArray("output").add(message("completed", text));
        r.set("usage", usage(inputTokens, outputTokens));
        return r;
    }

    /** @return the stream's events, in order */
    List<ObjectNode> events(List<String> pieces, long inputTokens, long outputTokens) {
        List<ObjectNode> out = new ArrayList<>();
        out.add(event("response.created").set("response", base("in_progress")));
        out.add(event("response.in_progress").set("response", base("in_progress")));
        out.add(event("response.output_item.added").put("output_index", 0).set("item", message("in_progress", null)));
        out.add(part(event("response.content_part.added")).set("part", outputText("")));
        for (String piece : pieces) {
            ObjectNode delta = part(event("response.output_text.delta")).put("delta", piece);
            delta.putArray("logprobs");
            out.add(delta);
        }
        ObjectNode done = part(event("response.output_text.done")).put("text", text);
        done.putArray("logprobs");
        out.add(done);
        out.add(part(event("response.content_part.done")).set("part", outputText(text)));
        out.add(event("response.output_item.done").put("output_index", 0).set("item", message("completed", text)));
        out.add(event("response.completed").set("response", response(inputTokens, outputTokens)));
        for (int i = 0; i < out.size(); i++) {
            out.get(i).put("sequence_number", i);
        }
        return out;
    }

    private ObjectNode base(String status) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", created);
        r.put("status", status);
        r.put("background", false);
        r.putNull("error");
        r.putNull("incomplete_details");
        echo(r, "instructions", null);
        echo(r, "max_output_tokens", null);
        r.put("model", model);
        r.putArray("output");
        echo(r, "parallel_tool_calls", Json.MAPPER.getNodeFactory().booleanNode(true));
        r.putNull("previous_response_id");
        r.putObject("reasoning").putNull("effort").putNull("summary");
        r.put("store", false);
        echo(r, "temperature", Json.MAPPER.getNodeFactory().numberNode(1.0));
        r.putObject("text").putObject("format").put("type", "text");
        echo(r, "tool_choice", Json.MAPPER.getNodeFactory().textNode("auto"));
        echo(r, "tools", Json.MAPPER.createArrayNode());
        echo(r, "top_p", Json.MAPPER.getNodeFactory().numberNode(1.0));
        r.put("truncation", "disabled");
        r.putNull("usage");
        echo(r, "user", null);
        echo(r, "metadata", Json.MAPPER.createObjectNode());
        return r;
    }

    /** The request's own value of a field, as OpenAI echoes it, else the default. */
    private void echo(ObjectNode r, String field, JsonNode fallback) {
        JsonNode v = request.get(field);
        r.set(field, v != null && !v.isNull() ? v : fallback == null ? Json.MAPPER.nullNode() : fallback);
    }

    private ObjectNode message(String status, String content) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("type", "message");
        m.put("id", itemId);
        m.put("status", status);
        m.put("role", "assistant");
        ArrayNode parts = m.putArray("content");
        if (content != null) {
            parts.add(outputText(content));
        }
        return m;
    }

    private static ObjectNode outputText(String text) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("type", "output_text");
        p.put("text", text);
        p.putArray("annotations");
        p.putArray("logprobs");
        return p;
    }

    private ObjectNode part(ObjectNode event) {
        return event.put("item_id", itemId).put("output_index", 0).put("content_index", 0);
    }

    private static ObjectNode event(String type) {
        return Json.MAPPER.createObjectNode().put("type", type);
    }

    private static ObjectNode usage(long input, long output) {
        ObjectNode u = Json.MAPPER.createObjectNode();
        u.put("input_tokens", input);
        u.putObject("input_tokens_details").put("cached_tokens", 0);
        u.put("output_tokens", output);
        u.putObject("output_tokens_details").put("reasoning_tokens", 0);
        u.put("total_tokens", input + output);
        return u;
    }

    private static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
