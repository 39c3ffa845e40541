package dev.llmhub.core.plugin;

import dev.llmhub.api.PluginMetrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.regex.Pattern;

/**
 * {@link PluginMetrics} on the proxy's registry: counter {@code name} becomes
 * {@code llmhub_plugin_<name>_total{destination="<configured name>"}}. Only proxy classes are
 * registered, so the meters never keep a plugin's class loader alive.
 */
final class MicrometerPluginMetrics implements PluginMetrics {
    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");

    private final MeterRegistry registry;
    private final String destination;
    private final java.util.List<io.micrometer.core.instrument.Meter> meters = new java.util.concurrent.CopyOnWriteArrayList<>();

    MicrometerPluginMetrics(MeterRegistry registry, String destination) {
        this.registry = registry;
        this.destination = destination;
    }

    @Override
    public PluginMetrics.Counter counter(String name, String description) {
        if (name == null || !SNAKE.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name must be snake_case ([a-z][a-z0-9_]*), got '" + name + "'");
        }
        String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        io.micrometer.core.instrument.Counter c = io.micrometer.core.instrument.Counter.builder("llmhub.plugin." + base)
                .description(description == null ? "" : description)
                .tag("destination", destination)
                .register(registry);
        meters.add(c);
        return amount -> {
            if (amount < 0) {
                throw new IllegalArgumentException("a counter only goes up, got " + amount);
            }
            c.increment(amount);
        };
    }

    /** Removes the meters this plugin instance registered (its lane is gone or rebuilt). */
    void remove() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
