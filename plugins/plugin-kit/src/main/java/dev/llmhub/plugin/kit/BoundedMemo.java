package dev.llmhub.plugin.kit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers a pure function's results for the few distinct inputs a proxy sees over and over (header
 * names, metadata keys, upstream URLs, {@code Host} values, client keys), so each call does not parse,
 * match, hash or encode them again. Bounded: past {@code capacity} inputs it starts over, so a client
 * sending ever-new values costs memory for at most that many. Thread-safe; two threads may compute
 * the same result at once, which a pure function allows.
 *
 * @param <K> the input
 * @param <V> the result (never null)
 */
public final class BoundedMemo<K, V> {
    private final ConcurrentHashMap<K, V> results = new ConcurrentHashMap<>();
    private final Function<K, V> compute;
    private final int capacity;

    /**
     * @param capacity how many results to keep at the most
     * @param compute  the function; it must not return null
     */
    public BoundedMemo(int capacity, Function<K, V> compute) {
        this.capacity = capacity;
        this.compute = compute;
    }

    /** @param input an input @return {@code compute}'s result for it, remembered or computed now */
    public V get(K input) {
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
