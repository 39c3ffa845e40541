package dev.llmhub.server;

import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.core.gateway.ApiException;
import dev.llmhub.core.gateway.Gateway;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Answers every request the proxy refuses — an {@link ApiException} thrown by a filter (wrong key) or
 * a route (unreadable body, too large, unknown route, wrong method) — in the route's error shape, and
 * counts a refused API request in the request metrics.
 */
final class Rejections implements ErrorHandler<ApiException> {
    private final Gateway gateway;

    Rejections(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res, ApiException e) {
        ApiError error = e.error();
        CallIdFilter.find(req).ifPresent(id -> gateway.rejected(error, id.startNanos()));
        ErrorResponses.send(res, error, ErrorShape.forPath(req.path().path()));
    }
}
