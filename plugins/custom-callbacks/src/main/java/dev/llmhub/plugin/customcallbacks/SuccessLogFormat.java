package dev.llmhub.plugin.customcallbacks;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "On Success" block of the seed's {@code MyCustomHandler.log_success_event}, from a call record,
 * laid out like the seed's "Resulting Log on Proxy". The record is already redacted, so the
 * Authorization header reads {@code [REDACTED]} and {@code user_api_key} is the key's hash.
 */
final class SuccessLogFormat {
    // LiteLLM prints the response as its pydantic objects, whose fields come out in declaration
    // order; a record's maps may come in any order (Map.of), so the known keys are put first.
    private static final List<String> CHOICE_KEYS = List.of("finish_reason", "index", "message", "text", "logprobs");
    private static final List<String> RESPONSE_MESSAGE_KEYS = List.of("content", "role", "tool_calls", "function_call");
    // Request messages print as the client sent them, which is role then content for every OpenAI client.
    private static final List<String> REQUEST_MESSAGE_KEYS = List.of("role", "content");

    private SuccessLogFormat() {
    }

    /** @param r a successful call @return the block, lines separated by {@code \n}, no final newline */
    static String format(CallRecord r) {
        return String.join("\n",
                "On Success",
                "    Model: " + r.model() + ",",
                "    Messages: " + PyRepr.of(r.messages().stream().map(m -> ordered(m, REQUEST_MESSAGE_KEYS)).toList()) + ",",
                "    User: " + r.user().orElse("None") + ",",
                "    Usage: " + PyRepr.of(usage(r.usage())) + ",",
                "    Cost: " + r.cost().map(c -> PyRepr.of(c.total())).orElse("None") + ",",
                "    Response: " + PyRepr.of(r.response().map(c -> response(r, c)).orElse(null)),
                "    Proxy Metadata: " + PyRepr.of(proxyMetadata(r)));
    }

    private static Map<String, Object> usage(Usage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("completion_tokens", u.completionTokens());
        m.put("prompt_tokens", u.promptTokens());
        m.put("total_tokens", u.totalTokens());
        return m;
    }

    private static Map<String, Object> response(CallRecord r, ResponseContent c) {
        List<Object> choices = new ArrayList<>();
        for (Map<String, Object> choice : c.choices()) {
            Map<String, Object> ch = ordered(choice, CHOICE_KEYS);
            if (ch.get("message") instanceof Map<?, ?> msg) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) msg;
                ch.put("message", ordered(typed, RESPONSE_MESSAGE_KEYS));
            }
            choices.add(ch);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("choices", choices);
        m.put("created", c.created());
        m.put("model", r.responseModel().orElse(null));
        m.put("object", objectType(r.callType()));
        m.put("system_fingerprint", c.systemFingerprint().orElse(null));
        m.put("usage", usage(r.usage()));
        return m;
    }

    private static String objectType(CallType t) {
        return switch (t) {
            case COMPLETION -> "text_completion";
            case EMBEDDING -> "list";
            // LiteLLM logs Messages and Responses calls as the chat completion they amount to
            default -> "chat.completion";
        };
    }

    /** LiteLLM's {@code litellm_params.metadata}: the client's metadata, then what the proxy adds. */
    private static Map<String, Object> proxyMetadata(CallRecord r) {
        Map<String, Object> m = new LinkedHashMap<>(r.metadata());
        m.put("user_api_key", r.apiKey().map(k -> k.hash()).orElse(null));
        m.put("headers", new PyRepr.Verbatim("Headers(" + PyRepr.of(r.headers()) + ")"));
        m.put("model_group", r.modelGroup());
        m.put("deployment", r.deployment().orElse(null));
        return m;
    }

    private static Map<String, Object> ordered(Map<String, Object> map, List<String> first) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : first) {
            if (map.containsKey(k)) {
                out.put(k, map.get(k));
            }
        }
        map.forEach(out::putIfAbsent);
        return out;
    }
}
