package dev.llmhub.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.core.gateway.ApiException;
import dev.llmhub.core.gateway.Gateway;
import dev.llmhub.core.provider.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * The OpenAI-compatible API: chat completions, legacy completions and embeddings (with and without
 * the {@code /v1} prefix), and the model list. Calls are answered by the shared {@link CallResponder}.
 */
final class OpenAiService implements HttpService {
    private final Gateway gateway;
    private final CallResponder calls;

    OpenAiService(Gateway gateway, CallResponder calls) {
        this.gateway = gateway;
        this.calls = calls;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String prefix : new String[] {"", "/v1"}) {
            rules.post(prefix + "/chat/completions", (req, res) -> calls.serve(CallType.CHAT, ErrorShape.OPENAI, req, res))
                    .post(prefix + "/completions", (req, res) -> calls.serve(CallType.COMPLETION, ErrorShape.OPENAI, req, res))
                    .post(prefix + "/embeddings", (req, res) -> calls.serve(CallType.EMBEDDING, ErrorShape.OPENAI, req, res))
                    .get(prefix + "/models", this::models)
                    .get(prefix + "/models/{model}", this::model)
                    .any(prefix + "/chat/completions", (req, res) -> methodNotAllowed(res, "POST"))
                    .any(prefix + "/completions", (req, res) -> methodNotAllowed(res, "POST"))
                    .any(prefix + "/embeddings", (req, res) -> methodNotAllowed(res, "POST"))
                    .any(prefix + "/models", (req, res) -> methodNotAllowed(res, "GET"));
        }
    }

    private void models(ServerRequest req, ServerResponse res) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        gateway.router().modelNames().forEach(name -> data.add(modelJson(name)));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(CallResponder.json(root));
    }

    private void model(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("model");
        if (!gateway.router().modelNames().contains(name)) {
            ErrorResponses.send(res, new ApiError(404, "invalid_request_error", "model '" + name
                    + "' is not configured on this proxy; available models: "
                    + String.join(", ", gateway.router().modelNames()), Optional.of("model"),
                    Optional.of("model_not_found"), Optional.empty()));
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(CallResponder.json(modelJson(name)));
    }

    private static ObjectNode modelJson(String name) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("id", name);
        m.put("object", "model");
        m.put("created", 1677610602L);
        m.put("owned_by", "llmhub");
        return m;
    }

    /** Refuses a request with the wrong method ({@link Rejections} answers and records it). */
    static void methodNotAllowed(ServerResponse res, String allowed) {
        res.header(HeaderNames.ALLOW, allowed); // an error handler keeps the headers already set
        throw new ApiException(ApiError.of(405, "method not allowed; use " + allowed, "method_not_allowed"));
    }
}
