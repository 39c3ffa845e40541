package dev.llmhub.server;

import dev.llmhub.api.CallType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/** OpenAI's Responses API: {@code POST /v1/responses} (and {@code /responses}), OpenAI's error shape. */
final class ResponsesService implements HttpService {
    private final CallResponder calls;

    ResponsesService(CallResponder calls) {
        this.calls = calls;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String path : new String[] {"/v1/responses", "/responses"}) {
            rules.post(path, (req, res) -> calls.serve(CallType.RESPONSES, ErrorShape.OPENAI, req, res))
                    .any(path, (req, res) -> OpenAiService.methodNotAllowed(res, "POST"));
        }
    }
}
