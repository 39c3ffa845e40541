package dev.llmhub.server;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every API request its call id before anything can answer it, and puts it in the
 * {@code x-llmhub-call-id} header of every answer — plain, streamed or error, including a rejected
 * key — so a client can find its call's record (the record's {@code id}, the Elasticsearch
 * {@code _id}). Health, metrics, admin and console answers carry none.
 */
final class CallIdFilter implements Filter {
    /** The header naming the call's record. */
    static final String HEADER = "x-llmhub-call-id";
    private static final HeaderName HEADER_NAME = HeaderNames.create(HEADER);

    /**
     * A request's call id and arrival (the record's {@code start_time}), in the request's context.
     *
     * @param value      the id
     * @param start      when the request arrived
     * @param startNanos {@link System#nanoTime()} then, for durations
     */
    record CallId(String value, Instant start, long startNanos) {
        static CallId fresh() {
            return new CallId(newId(), Instant.now(), System.nanoTime());
        }
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!(path.startsWith("/health") || path.startsWith("/metrics") || path.startsWith("/admin")
                || path.equals("/ui") || path.startsWith("/ui/"))) {
            CallId id = CallId.fresh();
            req.context().register(id);
            res.header(HEADER_NAME, id.value());
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

    /**
     * A version 7 UUID (RFC 9562): the time in milliseconds, then 74 random bits. Time-ordered ids
     * keep index inserts (the Elasticsearch {@code _id}) and journal searches local; the random bits
     * come from {@link ThreadLocalRandom}, not {@code UUID.randomUUID()}'s SecureRandom, whose shared
     * {@code /dev/urandom} reader is a lock every request took. An id names a call; it is no secret.
     *
     * @return a fresh call id
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = System.currentTimeMillis() << 16 | 0x7000L | random.nextInt(1 << 12);
        long lsb = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
