package dev.llmhub.server;

import dev.llmhub.api.CallType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Anthropic's Messages API: {@code POST /v1/messages} (and {@code /messages}), for Anthropic SDK
 * clients and tools that read {@code ANTHROPIC_BASE_URL}. The key comes in {@code x-api-key} or
 * {@code Authorization: Bearer}; {@code anthropic-version} is accepted as sent. Errors use Anthropic's
 * shape on these routes.
 */
final class AnthropicMessagesService implements HttpService {
    private final CallResponder calls;

    AnthropicMessagesService(CallResponder calls) {
        this.calls = calls;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String path : new String[] {"/v1/messages", "/messages"}) {
            rules.post(path, (req, res) -> calls.serve(CallType.MESSAGES, ErrorShape.ANTHROPIC, req, res))
                    .any(path, (req, res) -> OpenAiService.methodNotAllowed(res, "POST"));
        }
    }
}
