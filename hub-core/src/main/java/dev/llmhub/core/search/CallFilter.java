package dev.llmhub.core.search;

import dev.llmhub.api.ApiKeyInfo;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.core.delivery.RecordDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which calls the console lists: every condition given must hold. Text comparisons ignore case.
 *
 * @param id          exactly this record id
 * @param status      success or failure
 * @param model       the requested model, its model group or the model the provider reported
 * @param user        the body's {@code user} or the end user
 * @param key         the caller's key alias, or the start of its hash (at least 6 hex digits)
 * @param destination with {@code outcome}: that lane's state for the record; without, any lane's
 * @param outcome     a delivery state ({@link RecordDelivery.State})
 * @param from        recorded at or after (the journal's append time, about when the call ended)
 * @param to          recorded before
 * @param text        free search: part of the id or trace id, of the user, or of any metadata value;
 *                    {@code name=value} looks for part of {@code value} in metadata field {@code name}
 */
public record CallFilter(Optional<String> id, Optional<CallStatus> status, Optional<String> model,
                         Optional<String> user, Optional<String> key, Optional<String> destination,
                         Optional<RecordDelivery.State> outcome, Optional<Instant> from, Optional<Instant> to,
                         Optional<String> text) {

    /** Every call. */
    public static final CallFilter ALL = new CallFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public CallFilter {
        id = clean(id);
        Objects.requireNonNull(status, "status is null");
        model = clean(model);
        user = clean(user);
        key = clean(key);
        destination = clean(destination);
        Objects.requireNonNull(outcome, "outcome is null");
        Objects.requireNonNull(from, "from is null");
        Objects.requireNonNull(to, "to is null");
        text = clean(text);
    }

    /** @param id a record id @return a filter for that one call */
    public static CallFilter byId(String id) {
        return new CallFilter(Optional.of(id), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Optional<String> clean(Optional<String> s) {
        return Objects.requireNonNull(s, "a filter value is null").map(String::strip).filter(v -> !v.isEmpty());
    }

    /**
     * @param record    a call
     * @param timestamp when the journal recorded it (epoch milliseconds)
     * @param states    its delivery state per lane (asked only when an outcome is filtered)
     * @return whether it is one of the calls wanted
     */
    public boolean matches(CallRecord record, long timestamp, java.util.function.Supplier<Map<String,
            RecordDelivery.State>> states) {
        if (id.isPresent() && !id.get().equals(record.id())) {
            return false;
        }
        if (status.isPresent() && status.get() != record.status()) {
            return false;
        }
        if (from.isPresent() && timestamp < from.get().toEpochMilli()) {
            return false;
        }
        if (to.isPresent() && timestamp >= to.get().toEpochMilli()) {
            return false;
        }
        if (model.isPresent() && !(same(model.get(), record.model()) || same(model.get(), record.modelGroup())
                || record.responseModel().filter(m -> same(model.get(), m)).isPresent())) {
            return false;
        }
        if (user.isPresent() && !(record.user().filter(u -> same(user.get(), u)).isPresent()
                || record.endUser().filter(u -> same(user.get(), u)).isPresent())) {
            return false;
        }
        if (key.isPresent() && !record.apiKey().filter(this::keyMatches).isPresent()) {
            return false;
        }
        if (text.isPresent() && !textMatches(record)) {
            return false;
        }
        if (outcome.isPresent() || destination.isPresent()) {
            Map<String, RecordDelivery.State> s = states.get();
            if (destination.isPresent()) {
                RecordDelivery.State st = s.get(destination.get());
                return st != null && (outcome.isEmpty() || st == outcome.get());
            }
            return s.containsValue(outcome.get());
        }
        return true;
    }

    private boolean keyMatches(ApiKeyInfo k) {
        String want = key.get();
        return k.alias().filter(a -> same(want, a)).isPresent()
                || (want.length() >= 6 && k.hash().length() >= want.length()
                        && same(want, k.hash().substring(0, want.length())));
    }

    private boolean textMatches(CallRecord r) {
        String q = text.get();
        int eq = q.indexOf('=');
        if (eq > 0) {
            String field = q.substring(0, eq).strip();
            String value = q.substring(eq + 1).strip();
            Object v = r.metadata().get(field);
            return v != null && contains(String.valueOf(v), value);
        }
        return contains(r.id(), q) || contains(r.traceId(), q) || r.user().filter(u -> contains(u, q)).isPresent()
                || r.endUser().filter(u -> contains(u, q)).isPresent() || anyValueContains(r.metadata(), q);
    }

    private static boolean anyValueContains(Object v, String q) {
        if (v instanceof Map<?, ?> m) {
            for (Object o : m.values()) {
                if (anyValueContains(o, q)) {
                    return true;
                }
            }
            return false;
        }
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (anyValueContains(o, q)) {
                    return true;
                }
            }
            return false;
        }
        return v != null && contains(String.valueOf(v), q);
    }

    // ASCII case only, exactly as the byte pre-filter compares (so it never refuses a match)
    private static boolean same(String a, String b) {
        return a.length() == b.length() && ByteNeedle.containsIgnoringAsciiCase(a, b);
    }

    private static boolean contains(String haystack, String needle) {
        return ByteNeedle.containsIgnoringAsciiCase(haystack, needle);
    }

    /**
     * @return a conservative test on a record's stored JSON: false only when the bytes cannot belong to a
     *         matching call, because a text the filter needs does not occur in them
     */
    public Predicate<byte[]> prefilter() {
        List<ByteNeedle> needles = new ArrayList<>();
        id.flatMap(ByteNeedle::of).ifPresent(needles::add);
        model.flatMap(ByteNeedle::of).ifPresent(needles::add);
        user.flatMap(ByteNeedle::of).ifPresent(needles::add);
        key.flatMap(ByteNeedle::of).ifPresent(needles::add);
        text.map(q -> q.indexOf('=') > 0 ? q.substring(q.indexOf('=') + 1).strip() : q).filter(q -> !q.isEmpty())
                .flatMap(ByteNeedle::of).ifPresent(needles::add);
        if (status.isPresent() && status.get() == CallStatus.FAILURE) {
            needles.add(ByteNeedle.json("\"failure\""));
        }
        if (needles.isEmpty()) {
            return b -> true;
        }
        return bytes -> {
            for (ByteNeedle n : needles) {
                if (!n.in(bytes)) {
                    return false;
                }
            }
            return true;
        };
    }
}
