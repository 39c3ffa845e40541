package dev.llmhub.server;

import dev.llmhub.api.CallType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * A call API that is one {@code POST} route, at {@code /v1/<name>} and {@code /<name>}: calls go to the
 * shared {@link CallResponder}, errors use the API's own shape, other methods get a 405.
 *
 * @param calls  answers the calls
 * @param name   the route's last path segment
 * @param type   what kind of call the route takes
 * @param errors the shape of its error bodies
 */
record SingleRouteService(CallResponder calls, String name, CallType type, ErrorShape errors) implements HttpService {

    /**
     * Anthropic's Messages API, for Anthropic SDK clients and tools that read {@code ANTHROPIC_BASE_URL}.
     * The key comes in {@code x-api-key} or {@code Authorization: Bearer}; {@code anthropic-version} is
     * accepted as sent. Errors use Anthropic's shape on these routes.
     */
    static SingleRouteService anthropicMessages(CallResponder calls) {
        return new SingleRouteService(calls, "messages", CallType.MESSAGES, ErrorShape.ANTHROPIC);
    }

    /** OpenAI's Responses API, with OpenAI's error shape. */
    static SingleRouteService openAiResponses(CallResponder calls) {
        return new SingleRouteService(calls, "responses", CallType.RESPONSES, ErrorShape.OPENAI);
    }

    @Override
    public void routing(HttpRules rules) {
        for (String path : new String[] {"/v1/" + name, "/" + name}) {
            rules.post(path, (req, res) -> calls.serve(type, errors, req, res))
                    .any(path, (req, res) -> OpenAiService.methodNotAllowed(res, "POST"));
        }
    }
}
