package dev.llmhub.plugin.testkit;

import dev.llmhub.api.PluginMetrics;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@link PluginMetrics} whose counts a test can read back by name. */
public final class CountingPluginMetrics implements PluginMetrics {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name, String description) {
        AtomicLong count = counts.computeIfAbsent(name, n -> new AtomicLong());
        return amount -> {
            if (amount < 0) {
                throw new IllegalArgumentException("counter " + name + " cannot go down: " + amount);
            }
            count.addAndGet(amount);
        };
    }

    /** @param name a counter's name @return its count, 0 when the plugin never created it */
    public long count(String name) {
        AtomicLong c = counts.get(name);
        return c == null ? 0 : c.get();
    }

    /** @return every counter created so far and its count, by name */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
