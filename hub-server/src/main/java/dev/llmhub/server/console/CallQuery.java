package dev.llmhub.server.console;

import dev.llmhub.api.CallStatus;
import dev.llmhub.core.delivery.RecordDelivery;
import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.core.search.CallFilter;
import io.helidon.common.uri.UriQuery;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The query string of {@code GET /ui/api/calls} (and its live stream): filters, paging. A wrong value
 * is a 400 naming the parameter.
 *
 * @param filter which calls
 * @param before the page starts before this journal offset
 * @param limit  most calls per page
 */
record CallQuery(CallFilter filter, OptionalLong before, int limit) {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final int MAX_TEXT = 200;

    /** A query parameter with a wrong value. */
    static final class BadQuery extends Exception {
        final transient ApiError error;

        BadQuery(String param, String message) {
            super(message, null, false, false);
            this.error = ApiError.invalid(param, message);
        }
    }

    static CallQuery parse(UriQuery q) throws BadQuery {
        Optional<CallStatus> status = Optional.empty();
        Optional<String> s = text(q, "status");
        if (s.isPresent()) {
            status = Optional.of(switch (s.get()) {
                case "success" -> CallStatus.SUCCESS;
                case "failure" -> CallStatus.FAILURE;
                default -> throw new BadQuery("status", "status must be success or failure, got '" + s.get() + "'");
            });
        }
        Optional<RecordDelivery.State> outcome = Optional.empty();
        Optional<String> o = text(q, "outcome");
        if (o.isPresent()) {
            outcome = Optional.of(RecordDelivery.State.fromWire(o.get()).orElseThrow(() -> new BadQuery("outcome",
                    "outcome must be one of " + Arrays.stream(RecordDelivery.State.values())
                            .map(RecordDelivery.State::wireName).collect(Collectors.joining(", ")) + ", got '"
                            + o.get() + "'")));
        }
        CallFilter filter = new CallFilter(Optional.empty(), status, text(q, "model"), text(q, "user"), text(q, "key"),
                text(q, "destination"), outcome, time(q, "from"), time(q, "to"), text(q, "q"));
        OptionalLong before = OptionalLong.empty();
        Optional<String> b = text(q, "before");
        if (b.isPresent()) {
            before = OptionalLong.of(number(b.get(), "before", 0, Long.MAX_VALUE));
        }
        int limit = DEFAULT_LIMIT;
        Optional<String> l = text(q, "limit");
        if (l.isPresent()) {
            limit = (int) number(l.get(), "limit", 1, MAX_LIMIT);
        }
        return new CallQuery(filter, before, limit);
    }

    /**
     * @param min the least value allowed ({@code after} may be -1: "after nothing", an empty journal)
     * @return a journal offset from a parameter such as {@code after} or {@code offset}, when given
     */
    static OptionalLong offset(UriQuery q, String name, long min) throws BadQuery {
        Optional<String> v = text(q, name);
        return v.isPresent() ? OptionalLong.of(number(v.get(), name, min, Long.MAX_VALUE)) : OptionalLong.empty();
    }

    private static Optional<String> text(UriQuery q, String name) throws BadQuery {
        Optional<String> v = q.first(name).asOptional().map(String::strip).filter(x -> !x.isEmpty());
        if (v.isPresent() && v.get().length() > MAX_TEXT) {
            throw new BadQuery(name, name + " is longer than " + MAX_TEXT + " characters");
        }
        return v;
    }

    private static Optional<Instant> time(UriQuery q, String name) throws BadQuery {
        Optional<String> v = text(q, name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(v.get()));
        } catch (DateTimeParseException e) {
            throw new BadQuery(name, name + " must be an ISO-8601 time such as 2026-11-30T10:00:00Z");
        }
    }

    private static long number(String v, String name, long min, long max) throws BadQuery {
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadQuery(name, name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
        }
    }
}
