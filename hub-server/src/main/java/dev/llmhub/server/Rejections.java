package dev.llmhub.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.core.gateway.ApiException;
import dev.llmhub.core.gateway.Gateway;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Answers every request the proxy refuses — an {@link ApiException} thrown by a filter (wrong key) or
 * a route (unreadable body, too large, unknown route, wrong method) — in the route's error shape. A
 * refused API request first gets its record from the gateway, like any failed call (health, metrics
 * and admin requests are no calls and get none).
 */
final class Rejections implements ErrorHandler<ApiException> {
    private final Gateway gateway;
    private final ClientCalls calls;

    Rejections(Gateway gateway, ClientCalls calls) {
        this.gateway = gateway;
        this.calls = calls;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res, ApiException e) {
        ApiError error = e.error();
        String path = req.path().path();
        if (CallIdFilter.find(req).isPresent()) {
            // the body was never parsed: the record has no messages and no parameters
            gateway.reject(calls.of(req, ClientCalls.callType(path), JsonNodeFactory.instance.objectNode()), error)
                    .recorded().awaitJournaled();
        }
        ErrorResponses.send(res, error, ErrorShape.forPath(path));
    }
}
