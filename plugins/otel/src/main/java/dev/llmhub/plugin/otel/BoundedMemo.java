package dev.llmhub.plugin.otel;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers a pure function's results for the few distinct inputs a proxy sees over and over (header
 * names, metadata keys, upstream URLs, {@code Host} values), so each record does not parse, match or
 * encode them again. Bounded: past {@code capacity} inputs it starts over, so a client sending
 * ever-new names costs memory for at most that many.
 *
 * @param <K> the input
 * @param <V> the result (never null)
 */
final class BoundedMemo<K, V> {
    private final ConcurrentHashMap<K, V> results = new ConcurrentHashMap<>();
    private final Function<K, V> compute;
    private final int capacity;

    BoundedMemo(int capacity, Function<K, V> compute) {
        this.capacity = capacity;
        this.compute = compute;
    }

    V get(K input) {
        V v = results.get(input);
        if (v == null) {
            v = compute.apply(input);
            if (results.size() >= capacity) {
                results.clear();
            }
            results.put(input, v);
        }
        return v;
    }
}
