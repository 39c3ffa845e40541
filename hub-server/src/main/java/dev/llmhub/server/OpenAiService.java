package dev.llmhub.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.ApiKeyInfo;
import dev.llmhub.api.CallType;
import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.core.gateway.ClientCall;
import dev.llmhub.core.gateway.Gateway;
import dev.llmhub.core.gateway.GatewayResult;
import dev.llmhub.core.provider.Json;
import dev.llmhub.core.usage.CostCalculator;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAI-compatible API: chat completions, legacy completions and embeddings (with and without
 * the {@code /v1} prefix), and the model list. Bodies are read as JSON whatever their content type
 * (curl's {@code --data} sends {@code application/x-www-form-urlencoded}), up to the configured limit.
 */
final class OpenAiService implements HttpService {
    /** Header carrying the call's cost in USD, formatted like LiteLLM's ({@code 3.65e-05}). */
    static final String COST_HEADER = "x-llmhub-response-cost";

    private final Gateway gateway;
    private final AuthFilter auth;
    private final long maxBody;

    OpenAiService(Gateway gateway, AuthFilter auth) {
        this.gateway = gateway;
        this.auth = auth;
        this.maxBody = gateway.config().general().maxRequestBodyBytes();
    }

    @Override
    public void routing(HttpRules rules) {
        for (String prefix : new String[] {"", "/v1"}) {
            rules.post(prefix + "/chat/completions", (req, res) -> call(CallType.CHAT, req, res))
                    .post(prefix + "/completions", (req, res) -> call(CallType.COMPLETION, req, res))
                    .post(prefix + "/embeddings", (req, res) -> call(CallType.EMBEDDING, req, res))
                    .get(prefix + "/models", this::models)
                    .get(prefix + "/models/{model}", this::model)
                    .any(prefix + "/chat/completions", (req, res) -> methodNotAllowed(res, "POST"))
                    .any(prefix + "/completions", (req, res) -> methodNotAllowed(res, "POST"))
                    .any(prefix + "/embeddings", (req, res) -> methodNotAllowed(res, "POST"))
                    .any(prefix + "/models", (req, res) -> methodNotAllowed(res, "GET"));
        }
    }

    private void call(CallType type, ServerRequest req, ServerResponse res) {
        Instant start = Instant.now();
        long startNanos = System.nanoTime();
        ObjectNode body;
        try {
            body = readBody(req);
        } catch (BodyException e) {
            gateway.metrics().request(null, e.error.status(), Duration.ofNanos(System.nanoTime() - startNanos));
            ErrorResponses.send(res, e.error);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : req.headers()) {
            headers.merge(h.name().toLowerCase(Locale.ROOT), h.value(), (a, b) -> a + ", " + b);
        }
        Optional<ApiKeyInfo> key = AuthFilter.presentedKey(req.headers()).map(auth::keyInfo);
        Optional<String> ip = Optional.ofNullable(req.remotePeer().host());
        ClientCall call = new ClientCall(CallIdFilter.of(req), type, body, headers, ip, key, start, startNanos);

        GatewayResult result = gateway.handle(call);
        switch (result) {
            case GatewayResult.Failed f -> {
                f.recorded().awaitJournaled();
                ErrorResponses.send(res, f.error());
            }
            case GatewayResult.Completed c -> {
                c.cost().ifPresent(cost -> res.header(COST_HEADER, CostCalculator.format(cost.total())));
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                byte[] answer = json(c.body());
                c.recorded().awaitJournaled(); // the answer's last byte waits for the record
                res.send(answer);
            }
            case GatewayResult.Streaming s -> {
                SseWriter sse = new SseWriter(res);
                // pump() never throws: upstream failures become an error event, a departed client a record
                s.session().pump(sse::event);
                try {
                    sse.close();
                } catch (IOException | UncheckedIOException clientGone) {
                    // the client left before the end; the session has recorded it
                }
            }
        }
    }

    private ObjectNode readBody(ServerRequest req) {
        Optional<Long> length = req.headers().contentLength().stream().boxed().findFirst();
        if (length.isPresent() && length.get() > maxBody) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (bytes.length > maxBody) {
                throw tooLarge();
            }
        } catch (IOException | UncheckedIOException e) {
            throw new BodyException(ApiError.invalid(null, "could not read the request body"));
        }
        if (bytes.length == 0) {
            throw new BodyException(ApiError.invalid(null, "the request body is empty; send a JSON object"));
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : "invalid JSON";
            throw new BodyException(ApiError.invalid(null, "the request body is not valid JSON: " + truncate(detail)));
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new BodyException(ApiError.invalid(null, "the request body must be a JSON object"));
        }
        return obj;
    }

    private BodyException tooLarge() {
        return new BodyException(new ApiError(413, "invalid_request_error",
                "the request body is larger than the limit of " + maxBody + " bytes (general_settings.max_request_size_mb)",
                Optional.empty(), Optional.of("request_too_large"), Optional.empty()));
    }

    private void models(ServerRequest req, ServerResponse res) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        gateway.router().modelNames().forEach(name -> data.add(modelJson(name)));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json(root));
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
        res.send(json(modelJson(name)));
    }

    private static ObjectNode modelJson(String name) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("id", name);
        m.put("object", "model");
        m.put("created", 1677610602L);
        m.put("owned_by", "llmhub");
        return m;
    }

    static void methodNotAllowed(ServerResponse res, String allowed) {
        res.header(HeaderNames.ALLOW, allowed);
        ErrorResponses.send(res, ApiError.of(405, "method not allowed; use " + allowed, "method_not_allowed"));
    }

    private static byte[] json(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static final class BodyException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ApiError error;

        BodyException(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }
}
