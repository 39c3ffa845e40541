package dev.llmhub.core.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.core.provider.Json;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small pieces both translation directions share: stop reasons, usage, images, tool arguments. */
final class Formats {
    private static final Pattern DATA_URL = Pattern.compile("^data:([^;,]+);base64,(.*)$", Pattern.DOTALL);

    private Formats() {
    }

    /** @return OpenAI's finish_reason for an Anthropic stop_reason */
    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence, pause_turn
        };
    }

    /** @return Anthropic's stop_reason for an OpenAI finish_reason */
    static String stopReason(String finishReason) {
        if (finishReason == null) {
            return null;
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /**
     * OpenAI's usage for Anthropic's. Anthropic's {@code input_tokens} excludes cache reads and writes;
     * OpenAI's {@code prompt_tokens} includes them. The cache counts are kept under Anthropic's names too
     * (as LiteLLM reports them), so the gateway can price cache writes.
     */
    static ObjectNode chatUsage(JsonNode u) {
        long input = u.path("input_tokens").asLong(0);
        long read = u.path("cache_read_input_tokens").asLong(0);
        long write = u.path("cache_creation_input_tokens").asLong(0);
        long output = u.path("output_tokens").asLong(0);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("prompt_tokens", input + read + write);
        out.put("completion_tokens", output);
        out.put("total_tokens", input + read + write + output);
        out.putObject("prompt_tokens_details").put("cached_tokens", read);
        out.put("cache_read_input_tokens", read);
        out.put("cache_creation_input_tokens", write);
        return out;
    }

    /** Anthropic's usage for OpenAI's (the reverse of {@link #chatUsage}). */
    static ObjectNode anthropicUsage(JsonNode u) {
        long prompt = u.path("prompt_tokens").asLong(0);
        long read = u.path("prompt_tokens_details").path("cached_tokens").asLong(u.path("cache_read_input_tokens").asLong(0));
        long write = u.path("cache_creation_input_tokens").asLong(0);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("input_tokens", Math.max(0, prompt - read - write));
        out.put("cache_creation_input_tokens", write);
        out.put("cache_read_input_tokens", read);
        out.put("output_tokens", u.path("completion_tokens").asLong(0));
        return out;
    }

    /** @return an Anthropic image (or document) block's source as an OpenAI URL (a data URL for base64) */
    static Optional<String> sourceUrl(JsonNode source) {
        String type = source.path("type").asText("");
        if (type.equals("base64") && source.path("data").isTextual()) {
            return Optional.of("data:" + source.path("media_type").asText("application/octet-stream") + ";base64,"
                    + source.get("data").asText());
        }
        if (type.equals("url") && source.path("url").isTextual()) {
            return Optional.of(source.get("url").asText());
        }
        return Optional.empty();
    }

    /** @return Anthropic's block source for an OpenAI URL: base64 for a data URL, else a url source */
    static ObjectNode source(String url) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        Matcher m = DATA_URL.matcher(url);
        if (m.matches()) {
            s.put("type", "base64").put("media_type", m.group(1)).put("data", m.group(2));
        } else {
            s.put("type", "url").put("url", url);
        }
        return s;
    }

    /** @return a tool call's arguments (JSON text) as Anthropic's {@code input} object */
    static JsonNode toolInput(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(arguments);
            return n instanceof ObjectNode ? n : Json.MAPPER.createObjectNode().set("value", n);
        } catch (JsonProcessingException e) {
            // not JSON: keep the text rather than lose it
            return Json.MAPPER.createObjectNode().put("arguments", arguments);
        }
    }

    /** @return compact JSON text */
    static String json(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the text of a string, or of the text blocks of an array of blocks, joined */
    static String text(JsonNode content, String separator) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : content) {
            if (b.path("text").isTextual()) {
                if (!sb.isEmpty()) {
                    sb.append(separator);
                }
                sb.append(b.get("text").asText());
            }
        }
        return sb.toString();
    }
}
