package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads usage and content out of OpenAI response bodies. */
final class Responses {
    private Responses() {
    }

    /** @return the provider's usage, when the body carries one */
    static Optional<Usage> usage(JsonNode body) {
        JsonNode u = body.path("usage");
        if (!u.isObject() || !u.has("prompt_tokens")) {
            return Optional.empty();
        }
        long prompt = u.path("prompt_tokens").asLong();
        long completion = u.path("completion_tokens").asLong();
        long total = u.has("total_tokens") ? u.path("total_tokens").asLong() : prompt + completion;
        // cache writes: Anthropic's count, kept under its own name in chat usage (as LiteLLM reports it)
        return Optional.of(new Usage(prompt, completion, total,
                u.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                u.path("completion_tokens_details").path("reasoning_tokens").asLong(0),
                u.path("cache_creation_input_tokens").asLong(0), Usage.Source.PROVIDER));
    }

    /** @return the usage object OpenAI would send */
    static ObjectNode usageJson(Usage usage, boolean embedding) {
        ObjectNode u = dev.llmhub.core.provider.Json.MAPPER.createObjectNode();
        u.put("prompt_tokens", usage.promptTokens());
        if (!embedding) {
            u.put("completion_tokens", usage.completionTokens());
        }
        u.put("total_tokens", usage.totalTokens());
        return u;
    }

    /** @return the generated text of every choice, joined (for estimating completion tokens) */
    static String completionText(JsonNode body) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : body.path("choices")) {
            JsonNode msg = c.path("message");
            if (msg.path("content").isTextual()) {
                sb.append(msg.get("content").asText());
            }
            for (JsonNode tc : msg.path("tool_calls")) {
                sb.append(tc.path("function").path("name").asText("")).append(tc.path("function").path("arguments").asText(""));
            }
            if (c.path("text").isTextual()) {
                sb.append(c.get("text").asText());
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static ResponseContent content(JsonNode body, String fallbackId) {
        List<Map<String, Object>> choices = new ArrayList<>();
        List<String> finish = new ArrayList<>();
        for (JsonNode c : body.path("choices")) {
            if (c.isObject()) {
                choices.add((Map<String, Object>) CallRecorder.plain(c));
                finish.add(c.path("finish_reason").isTextual() ? c.get("finish_reason").asText() : "");
            }
        }
        return new ResponseContent(body.path("id").isTextual() ? body.get("id").asText() : fallbackId,
                body.path("created").asLong(System.currentTimeMillis() / 1000), choices, finish,
                text(body, "system_fingerprint"), text(body, "service_tier"));
    }

    private static Optional<String> text(JsonNode body, String field) {
        return body.path(field).isTextual() ? Optional.of(body.get(field).asText()) : Optional.empty();
    }
}
