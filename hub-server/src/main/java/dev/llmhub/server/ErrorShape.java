package dev.llmhub.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.core.gateway.AnthropicErrors;
import dev.llmhub.core.gateway.ApiError;

/** How an error reads on a route: OpenAI's shape everywhere, Anthropic's on its Messages routes. */
enum ErrorShape {
    /** {@code {"error": {"message", "type", "param", "code"}}}. */
    OPENAI,
    /** {@code {"type": "error", "error": {"type", "message"}}}, with 529 for an overloaded upstream. */
    ANTHROPIC;

    /** @return the shape clients of this path expect */
    static ErrorShape forPath(String path) {
        return path.equals("/v1/messages") || path.equals("/messages") || path.startsWith("/v1/messages/")
                || path.startsWith("/messages/") ? ANTHROPIC : OPENAI;
    }

    int status(ApiError e) {
        return this == ANTHROPIC ? AnthropicErrors.status(e) : e.status();
    }

    ObjectNode body(ApiError e) {
        return this == ANTHROPIC ? AnthropicErrors.body(e) : e.toJson();
    }
}
