package dev.llmhub.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.UUID;

/**
 * Gives every API request its call id before anything can answer it, and puts it in the
 * {@code x-llmhub-call-id} header of every answer — plain, streamed or error, including a rejected
 * key — so a client can find its call's record (the record's {@code id}, the Elasticsearch
 * {@code _id}). Health, metrics, admin and console answers carry none.
 */
final class CallIdFilter implements Filter {
    /** The header naming the call's record. */
    static final String HEADER = "x-llmhub-call-id";

    /** @param value the id, in the request's context */
    record CallId(String value) {
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!(path.startsWith("/health") || path.startsWith("/metrics") || path.startsWith("/admin")
                || path.equals("/ui") || path.startsWith("/ui/"))) {
            String id = UUID.randomUUID().toString();
            req.context().register(new CallId(id));
            res.header(HeaderNames.create(HEADER), id);
        }
        chain.proceed();
    }

    /** @return the id this filter gave the request (a fresh one if it ran without the filter) */
    static String of(ServerRequest req) {
        return req.context().get(CallId.class).map(CallId::value).orElseGet(() -> UUID.randomUUID().toString());
    }
}
