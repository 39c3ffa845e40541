package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** OpenAI's chat completions, legacy completions and embeddings. */
final class OpenAiApi implements ClientApi {
    private final CallType type;

    OpenAiApi(CallType type) {
        this.type = type;
    }

    @Override
    public void validate(ObjectNode body) {
        RequestValidator.validate(type, body);
    }

    @Override
    public List<Map<String, Object>> messages(ObjectNode body) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (type == CallType.CHAT) {
            for (JsonNode m : body.path("messages")) {
                if (m.isObject()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = (Map<String, Object>) CallRecorder.plain(m);
                    out.add(map);
                }
            }
            return out;
        }
        JsonNode v = body.get(type == CallType.COMPLETION ? "prompt" : "input");
        if (v != null && !v.isNull()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", "user");
            m.put("content", CallRecorder.plain(v));
            out.add(m);
        }
        return out;
    }

    @Override
    public Optional<Usage> usage(ObjectNode answer) {
        return Responses.usage(answer);
    }

    @Override
    public void putUsage(ObjectNode answer, Usage usage) {
        answer.set("usage", Responses.usageJson(usage, type == CallType.EMBEDDING));
    }

    @Override
    public String completionText(ObjectNode answer) {
        return Responses.completionText(answer);
    }

    @Override
    public ResponseContent content(ObjectNode answer, String fallbackId) {
        if (type == CallType.EMBEDDING) {
            return new ResponseContent(fallbackId, System.currentTimeMillis() / 1000, List.of(), List.of(),
                    Optional.empty());
        }
        return Responses.content(answer, fallbackId);
    }

    @Override
    public StreamFold streamFold(ObjectNode body) {
        return new ChatStreamFold(type, body.path("stream_options").path("include_usage").asBoolean(false));
    }
}
