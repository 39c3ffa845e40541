package dev.llmhub.plugin.otel;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An inference's content under the conventions' opt-in attribute names, as JSON-like trees: the span
 * writes them as JSON text, the operation details event as structured values. Embeddings have none:
 * their spec defines no content attribute.
 */
final class OperationContent {
    private OperationContent() {
    }

    /** @return attribute name to content, only those the call has */
    static Map<String, List<Map<String, Object>>> of(CallRecord r) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        if (r.callType() == CallType.EMBEDDING) {
            return out;
        }
        List<Map<String, Object>> input = MessageContent.input(r.messages(), r.callType() == CallType.COMPLETION);
        if (!input.isEmpty()) {
            out.put(GenAi.INPUT_MESSAGES, input);
        }
        r.response().map(MessageContent::output).filter(l -> !l.isEmpty()).ifPresent(o -> out.put(GenAi.OUTPUT_MESSAGES, o));
        List<Map<String, Object>> tools = MessageContent.toolDefinitions(r.requestParams());
        if (!tools.isEmpty()) {
            out.put(GenAi.TOOL_DEFINITIONS, tools);
        }
        return out;
    }
}
