package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import dev.llmhub.core.provider.AssistantMessage;
import dev.llmhub.core.provider.Json;
import dev.llmhub.core.provider.SecretScrubber;
import dev.llmhub.core.provider.UpstreamException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's Responses API ({@code /v1/responses}), passed through to upstreams that serve it. In the
 * record, {@code instructions} and {@code input} read as chat messages and the output as one chat
 * choice (text and {@code function_call}s as {@code tool_calls}).
 */
final class ResponsesApi implements ClientApi {
    static final ResponsesApi INSTANCE = new ResponsesApi();

    private ResponsesApi() {
    }

    @Override
    public void validate(ObjectNode body) {
        Fields f = new Fields(body);
        f.model();
        JsonNode input = f.required("input");
        if (!input.isTextual() && !input.isArray()) {
            throw Fields.bad("input", "'input' must be a string or an array of input items");
        }
        f.string("instructions");
        f.bool("stream");
        f.bool("no-log");
        f.object("metadata");
        f.string("user");
        f.array("tools");
        f.number("temperature");
        f.number("top_p");
        f.positiveInteger("max_output_tokens", false);
        f.string("mock_response");
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> messages(ObjectNode body) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode m : chatMessages(body)) {
            out.add((Map<String, Object>) CallRecorder.plain(m));
        }
        return out;
    }

    /** The request's instructions and input items as chat messages. */
    static ArrayNode chatMessages(JsonNode body) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (body.path("instructions").isTextual()) {
            out.addObject().put("role", "system").put("content", body.get("instructions").asText());
        }
        JsonNode input = body.path("input");
        if (input.isTextual()) {
            out.addObject().put("role", "user").put("content", input.asText());
            return out;
        }
        for (JsonNode item : input) {
            String type = item.path("type").asText(item.has("role") ? "message" : "");
            switch (type) {
                case "message" -> {
                    ObjectNode m = out.addObject().put("role", item.path("role").asText("user"));
                    JsonNode content = item.path("content");
                    if (content.isArray()) {
                        m.set("content", parts(content));
                    } else {
                        m.set("content", content.isMissingNode() ? Json.MAPPER.nullNode() : content);
                    }
                }
                case "function_call" -> {
                    ObjectNode m = out.addObject().put("role", "assistant");
                    m.putNull("content");
                    m.putArray("tool_calls").add(toolCall(item));
                }
                case "function_call_output" -> out.addObject().put("role", "tool")
                        .put("tool_call_id", item.path("call_id").asText(""))
                        .put("content", item.path("output").isTextual() ? item.get("output").asText() : item.path("output").toString());
                default -> {
                    // reasoning items, item references: nothing to read as a message
                }
            }
        }
        return out;
    }

    private static ArrayNode parts(JsonNode content) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode p : content) {
            switch (p.path("type").asText("")) {
                case "input_text", "output_text", "text" -> out.addObject().put("type", "text").put("text", p.path("text").asText(""));
                case "input_image" -> out.addObject().put("type", "image_url").putObject("image_url")
                        .put("url", p.path("image_url").asText(p.path("file_id").asText("")));
                default -> out.add(p);
            }
        }
        return out;
    }

    private static ObjectNode toolCall(JsonNode item) {
        ObjectNode call = Json.MAPPER.createObjectNode();
        call.put("id", item.path("call_id").asText(""));
        call.put("type", "function");
        call.putObject("function").put("name", item.path("name").asText("")).put("arguments", item.path("arguments").asText(""));
        return call;
    }

    @Override
    public Optional<Usage> usage(ObjectNode answer) {
        JsonNode u = answer.path("usage");
        if (!u.isObject() || !u.has("input_tokens")) {
            return Optional.empty();
        }
        long input = u.path("input_tokens").asLong();
        long output = u.path("output_tokens").asLong();
        return Optional.of(new Usage(input, output, u.path("total_tokens").asLong(input + output),
                u.path("input_tokens_details").path("cached_tokens").asLong(0),
                u.path("output_tokens_details").path("reasoning_tokens").asLong(0), Usage.Source.PROVIDER));
    }

    @Override
    public void putUsage(ObjectNode answer, Usage usage) {
        ObjectNode u = answer.putObject("usage");
        u.put("input_tokens", usage.promptTokens());
        u.putObject("input_tokens_details").put("cached_tokens", usage.cachedTokens());
        u.put("output_tokens", usage.completionTokens());
        u.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        u.put("total_tokens", usage.totalTokens());
    }

    @Override
    public String completionText(ObjectNode answer) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode item : answer.path("output")) {
            for (JsonNode c : item.path("content")) {
                sb.append(c.path("text").asText(""));
            }
            if (item.path("type").asText().equals("function_call")) {
                sb.append(item.path("name").asText("")).append(item.path("arguments").asText(""));
            }
        }
        return sb.toString();
    }

    @Override
    @SuppressWarnings("unchecked")
    public ResponseContent content(ObjectNode answer, String fallbackId) {
        ObjectNode choice = Json.MAPPER.createObjectNode();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (JsonNode item : answer.path("output")) {
            if (item.path("type").asText().equals("message")) {
                for (JsonNode c : item.path("content")) {
                    text.append(c.path("text").asText(""));
                }
            } else if (item.path("type").asText().equals("function_call")) {
                calls.add(toolCall(item));
            }
        }
        AssistantMessage.fill(message, text, calls);
        String finish = switch (answer.path("incomplete_details").path("reason").asText("")) {
            case "max_output_tokens" -> "length";
            case "content_filter" -> "content_filter";
            default -> calls.isEmpty() ? "stop" : "tool_calls";
        };
        choice.put("finish_reason", finish);
        return new ResponseContent(answer.path("id").asText(fallbackId),
                answer.path("created_at").asLong(System.currentTimeMillis() / 1000),
                List.of((Map<String, Object>) CallRecorder.plain(choice)), List.of(finish), Optional.empty());
    }

    @Override
    public StreamFold streamFold(ObjectNode body) {
        return new ResponsesStreamFold();
    }

    /**
     * Relays the Responses events as they are; the final {@code response.completed} (or
     * {@code .incomplete}/{@code .failed}) event carries the whole response, usage included.
     */
    static final class ResponsesStreamFold implements StreamFold {
        private final StringBuilder text = new StringBuilder();
        private ObjectNode latest = Json.MAPPER.createObjectNode();
        private boolean complete;
        private boolean failed;
        private long sequence = -1;

        @Override
        public String relay(ObjectNode event, ChunkWriter out) throws IOException {
            String type = event.path("type").asText("");
            sequence = Math.max(sequence, event.path("sequence_number").asLong(sequence));
            if (event.path("response").isObject()) {
                latest = (ObjectNode) event.get("response");
                complete |= type.equals("response.completed") || type.equals("response.incomplete")
                        || type.equals("response.failed");
            }
            String delta = type.endsWith(".delta") && event.path("delta").isTextual() ? event.get("delta").asText() : "";
            text.append(delta);
            out.write(type, StreamFold.json(event));
            if (type.equals("response.failed")) {
                // the client has the failure in the API's own event; the record must say failure too
                failed = true;
                JsonNode error = latest.path("error");
                throw new UpstreamException(502, "api_error", "the upstream's response failed: "
                        + SecretScrubber.scrub(error.path("message").asText("no message"), null),
                        Optional.ofNullable(error.path("code").asText(null)), false, Optional.empty());
            }
            return delta;
        }

        @Override
        public boolean isContent(ObjectNode event) {
            String type = event.path("type").asText("");
            return (type.equals("response.output_text.delta") || type.equals("response.function_call_arguments.delta"))
                    && !event.path("delta").asText("").isEmpty();
        }

        @Override
        public Optional<Usage> usage() {
            return complete ? INSTANCE.usage(latest) : Optional.empty();
        }

        @Override
        public Optional<String> model() {
            return INSTANCE.responseModel(latest);
        }

        @Override
        public String allText() {
            return text.toString();
        }

        @Override
        public ResponseContent response(String fallbackId) {
            if (complete) {
                return INSTANCE.content(latest, fallbackId);
            }
            ObjectNode partial = latest.deepCopy();
            ObjectNode item = partial.putArray("output").addObject().put("type", "message");
            item.putArray("content").addObject().put("type", "output_text").put("text", text.toString());
            return INSTANCE.content(partial, fallbackId);
        }

        @Override
        public void end(Usage usage, String callId, String model, ChunkWriter out) {
            // response.completed was relayed: a Responses stream has no end marker of its own
        }

        @Override
        public void error(ApiError error, ChunkWriter out) throws IOException {
            if (failed) {
                return; // response.failed already told the client
            }
            ObjectNode e = Json.MAPPER.createObjectNode();
            e.put("type", "error");
            e.put("code", error.code().orElse(error.type()));
            e.put("message", error.message());
            e.set("param", error.param().map(p -> (JsonNode) Json.MAPPER.getNodeFactory().textNode(p))
                    .orElse(Json.MAPPER.nullNode()));
            e.put("sequence_number", sequence + 1);
            out.write("error", StreamFold.json(e));
        }
    }
}
