package dev.llmhub.plugin.otel;

import dev.llmhub.api.ResponseContent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI chat messages and choices in the GenAI conventions' message shape
 * ({@code gen-ai-input-messages.json}, {@code gen-ai-output-messages.json}): {@code role}, a list of
 * typed {@code parts} and, for output, {@code finish_reason}. Text arrives already redacted by the core
 * when message logging is off.
 */
final class MessageContent {
    private MessageContent() {
    }

    /** @return the input messages, in the order they were sent */
    static List<Map<String, Object>> input(List<Map<String, Object>> messages) {
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
