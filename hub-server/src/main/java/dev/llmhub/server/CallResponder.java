package dev.llmhub.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.core.gateway.ApiException;
import dev.llmhub.core.gateway.ClientCall;
import dev.llmhub.core.gateway.Gateway;
import dev.llmhub.core.gateway.GatewayResult;
import dev.llmhub.core.provider.Json;
import dev.llmhub.core.usage.CostCalculator;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The one way every API route answers a call: read the body as JSON (whatever its content type, up
 * to the configured limit), hand it to {@link Gateway#handle}, and write the result — a JSON answer
 * with its cost header, an SSE stream, or an error in the route's {@link ErrorShape}.
 */
final class CallResponder {
    /** Header carrying the call's cost in USD, formatted like LiteLLM's ({@code 3.65e-05}). */
    static final String COST_HEADER = "x-llmhub-response-cost";
    private final Gateway gateway;
    private final ClientCalls calls;

    CallResponder(Gateway gateway, ClientCalls calls) {
        this.gateway = gateway;
        this.calls = calls;
    }

    /** @throws ApiException when the body cannot be read or parsed ({@link Rejections} answers it) */
    void serve(CallType type, ErrorShape shape, ServerRequest req, ServerResponse res) {
        ClientCall call = calls.of(req, type, readBody(req));
        GatewayResult result = gateway.handle(call);
        switch (result) {
            case GatewayResult.Failed f -> {
                f.recorded().awaitJournaled(); // every answer's last byte waits for its record
                ErrorResponses.send(res, f.error(), shape);
            }
            case GatewayResult.Completed c -> {
                c.cost().ifPresent(cost -> res.header(COST_HEADER, CostCalculator.format(cost.total())));
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                byte[] answer = json(c.body());
                c.recorded().awaitJournaled();
                res.send(answer);
            }
            case GatewayResult.Streaming s -> {
                SseWriter sse = new SseWriter(res); // the stream waits for its record before its end
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
        long maxBody = gateway.config().general().maxRequestBodyBytes(); // a reload may change it
        Optional<Long> length = req.headers().contentLength().stream().boxed().findFirst();
        if (length.isPresent() && length.get() > maxBody) {
            throw tooLarge(maxBody);
        }
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            // With a Content-Length, exactly that many bytes in one array (HTTP framing ends the stream
            // there); without one, up to one byte past the limit
            bytes = length.isPresent() ? in.readNBytes(length.get().intValue())
                    : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (bytes.length > maxBody) {
                throw tooLarge(maxBody);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new ApiException(ApiError.invalid(null, "could not read the request body"));
        }
        if (bytes.length == 0) {
            throw new ApiException(ApiError.invalid(null, "the request body is empty; send a JSON object"));
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : "invalid JSON";
            throw new ApiException(ApiError.invalid(null, "the request body is not valid JSON: " + truncate(detail)));
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new ApiException(ApiError.invalid(null, "the request body must be a JSON object"));
        }
        return obj;
    }

    private static ApiException tooLarge(long maxBody) {
        return new ApiException(new ApiError(413, "invalid_request_error",
                "the request body is larger than the limit of " + maxBody + " bytes (general_settings.max_request_size_mb)",
                Optional.empty(), Optional.of("request_too_large"), Optional.empty()));
    }

    static byte[] json(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
