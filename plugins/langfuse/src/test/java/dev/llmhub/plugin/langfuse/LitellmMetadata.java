package dev.llmhub.plugin.langfuse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a LiteLLM caller puts in {@code metadata} to shape its Langfuse trace: the same keys in both export modes' tests. */
final class LitellmMetadata {
    private LitellmMetadata() {
    }

    /**
     * @return a new, modifiable map of every trace-shaping key: session {@code sess-9}, trace name
     *     {@code checkout-flow}, user {@code user-77}, generation name {@code summarise}, tags {@code a, b},
     *     trace metadata {@code team=payments}, version {@code v7}
     */
    static Map<String, Object> traceShaping(String traceId, String generationId) {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("trace_id", traceId);
        md.put("session_id", "sess-9");
        md.put("trace_name", "checkout-flow");
        md.put("trace_user_id", "user-77");
        md.put("generation_name", "summarise");
        md.put("generation_id", generationId);
        md.put("tags", List.of("a", "b"));
        md.put("trace_metadata", Map.of("team", "payments"));
        md.put("version", "v7");
        return md;
    }
}
