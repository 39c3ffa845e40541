package dev.llmhub.plugin.otel;

import dev.llmhub.api.ResponseContent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI chat messages, completion prompts, choices and tools in the GenAI conventions' shapes
 * ({@code gen-ai-input-messages.json}, {@code gen-ai-output-messages.json},
 * {@code gen-ai-tool-definitions.json}): {@code role}, a list of typed {@code parts} and, for output,
 * {@code finish_reason}. Text arrives already redacted by the core when message logging is off.
 *
 * <p>System messages stay in the input messages: in OpenAI's chat API they are part of the chat history,
 * and the conventions keep {@code gen_ai.system_instructions} for instructions given apart from it.
 */
final class MessageContent {
    private MessageContent() {
    }

    /**
     * @param messages the record's messages (a completion's prompt is one {@code user} message)
     * @param prompt   whether they hold a completion's prompt: a string, or a list of strings or of
     *                 token ids, each a part
     * @return the input messages, in the order they were sent
     */
    static List<Map<String, Object>> input(List<Map<String, Object>> messages, boolean prompt) {
        if (prompt) {
            List<Map<String, Object>> parts = new ArrayList<>();
            messages.forEach(m -> promptParts(m.get("content"), parts));
            return parts.isEmpty() ? List.of() : List.of(message("user", parts, null));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : messages) {
            String role = m.get("role") instanceof String s ? s : "user";
            List<Map<String, Object>> parts = new ArrayList<>();
            if ("tool".equals(role)) {
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("type", "tool_call_response");
                if (m.get("tool_call_id") instanceof String id) {
                    part.put("id", id);
                }
                part.put("response", m.get("content") == null ? "" : m.get("content"));
                parts.add(part);
            } else {
                contentParts(m.get("content"), parts);
                toolCalls(m.get("tool_calls"), parts);
            }
            out.add(message(role, parts, m.get("name")));
        }
        return out;
    }

    /** @return one output message per choice; empty for embeddings */
    static List<Map<String, Object>> output(ResponseContent response) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Map<String, Object>> choices = response.choices();
        for (int i = 0; i < choices.size(); i++) {
            Map<String, Object> choice = choices.get(i);
            List<Map<String, Object>> parts = new ArrayList<>();
            String role = "assistant";
            if (choice.get("message") instanceof Map<?, ?> msg) {
                if (msg.get("role") instanceof String r) {
                    role = r;
                }
                if (msg.get("reasoning_content") instanceof String reasoning && !reasoning.isEmpty()) {
                    parts.add(Map.of("type", "reasoning", "content", reasoning));
                }
                contentParts(msg.get("content"), parts);
                toolCalls(msg.get("tool_calls"), parts);
            } else if (choice.get("text") instanceof String text) {
                parts.add(textPart(text));
            }
            String finish = choice.get("finish_reason") instanceof String f ? f
                    : i < response.finishReasons().size() ? response.finishReasons().get(i) : "stop";
            Map<String, Object> message = message(role, parts, null);
            message.put("finish_reason", GenAi.finishReason(finish));
            out.add(message);
        }
        return out;
    }

    /**
     * @return the request's tools ({@code tools}, or the older {@code functions}) as type and name only:
     *         descriptions and parameter schemas can be large, and the conventions advise against
     *         them by default
     */
    static List<Map<String, Object>> toolDefinitions(Map<String, Object> requestParams) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (requestParams.get("tools") instanceof List<?> tools) {
            for (Object o : tools) {
                if (o instanceof Map<?, ?> tool && tool.get("type") instanceof String type) {
                    Object fn = tool.get(type);
                    Object name = fn instanceof Map<?, ?> f ? f.get("name") : tool.get("name");
                    out.add(toolDefinition(type, name instanceof String n ? n : type));
                }
            }
        }
        if (requestParams.get("functions") instanceof List<?> functions) {
            for (Object o : functions) {
                if (o instanceof Map<?, ?> f && f.get("name") instanceof String name) {
                    out.add(toolDefinition("function", name));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> toolDefinition(String type, String name) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type);
        out.put("name", name);
        return out;
    }

    private static void promptParts(Object prompt, List<Map<String, Object>> parts) {
        if (prompt instanceof String s) {
            parts.add(textPart(s));
        } else if (prompt instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(o -> o instanceof Number)) {
            // One prompt given as token ids: kept as they were sent, in a part type of its own.
            parts.add(Map.of("type", "token_ids", "token_ids", list));
        } else if (prompt instanceof List<?> list) {
            list.forEach(p -> promptParts(p, parts));
        }
    }

    private static Map<String, Object> message(String role, List<Map<String, Object>> parts, Object name) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", role);
        out.put("parts", parts);
        if (name instanceof String n) {
            out.put("name", n);
        }
        return out;
    }

    private static void contentParts(Object content, List<Map<String, Object>> parts) {
        if (content instanceof String s) {
            parts.add(textPart(s));
            return;
        }
        if (!(content instanceof List<?> list)) {
            return;
        }
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> p)) {
                continue;
            }
            Object type = p.get("type");
            if ("text".equals(type) && p.get("text") instanceof String t) {
                parts.add(textPart(t));
            } else if ("image_url".equals(type)) {
                Object url = p.get("image_url") instanceof Map<?, ?> iu ? iu.get("url") : p.get("image_url");
                if (url instanceof String u && !u.startsWith("data:")) {
                    parts.add(Map.of("type", "uri", "modality", "image", "uri", u));
                } else {
                    // Inline base64 images are large and add nothing to a trace: keep only the fact.
                    parts.add(Map.of("type", "blob", "modality", "image", "content", ""));
                }
            } else if ("input_audio".equals(type)) {
                parts.add(Map.of("type", "blob", "modality", "audio", "content", ""));
            } else if ("file".equals(type) && p.get("file") instanceof Map<?, ?> f && f.get("file_id") instanceof String id) {
                parts.add(Map.of("type", "file", "modality", "unknown", "file_id", id));
            } else if (type instanceof String t) {
                parts.add(Map.of("type", t));
            }
        }
    }

    private static void toolCalls(Object toolCalls, List<Map<String, Object>> parts) {
        if (!(toolCalls instanceof List<?> calls)) {
            return;
        }
        for (Object o : calls) {
            if (!(o instanceof Map<?, ?> call)) {
                continue;
            }
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("type", "tool_call");
            if (call.get("id") instanceof String id) {
                part.put("id", id);
            }
            Object fn = call.get("function");
            if (fn instanceof Map<?, ?> f) {
                part.put("name", f.get("name") instanceof String n ? n : "");
                if (f.get("arguments") != null) {
                    part.put("arguments", f.get("arguments"));
                }
            } else {
                part.put("name", "");
            }
            parts.add(part);
        }
    }

    private static Map<String, Object> textPart(String text) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", "text");
        part.put("content", text);
        return part;
    }
}
