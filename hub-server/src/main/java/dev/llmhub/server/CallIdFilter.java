package dev.llmhub.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.time.Instant;
import java.util.Optional;
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

    /**
     * A request's call id and arrival (the record's {@code start_time}), in the request's context.
     *
     * @param value      the id
     * @param start      when the request arrived
     * @param startNanos {@link System#nanoTime()} then, for durations
     */
    record CallId(String value, Instant start, long startNanos) {
        static CallId fresh() {
            return new CallId(UUID.randomUUID().toString(), Instant.now(), System.nanoTime());
        }
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!(path.startsWith("/health") || path.startsWith("/metrics") || path.startsWith("/admin")
                || path.equals("/ui") || path.startsWith("/ui/"))) {
            CallId id = CallId.fresh();
            req.context().register(id);
            res.header(HeaderNames.create(HEADER), id.value());
        }
        chain.proceed();
    }

    /** @return the id this filter gave the request: only API requests have one */
    static Optional<CallId> find(ServerRequest req) {
        return req.context().get(CallId.class);
    }

    /** @return the id this filter gave the request (a fresh one if it ran without the filter) */
    static CallId of(ServerRequest req) {
        return find(req).orElseGet(CallId::fresh);
    }
}
