package dev.llmhub.core.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An assistant turn in OpenAI's chat shape, as the translations (Anthropic's Messages, OpenAI's Responses,
 * a folded stream) write it: {@code content} is null when the turn is only tool calls, and
 * {@code tool_calls} is there only when there are some.
 */
public final class AssistantMessage {
    private AssistantMessage() {
    }

    /**
     * @param message   the message to fill ({@code role} already set)
     * @param text      the turn's text, empty when there is none
     * @param toolCalls the turn's tool calls in the chat shape, empty when there are none
     * @return message
     */
    public static ObjectNode fill(ObjectNode message, CharSequence text, ArrayNode toolCalls) {
        if (text.isEmpty() && !toolCalls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        return message;
    }
}
