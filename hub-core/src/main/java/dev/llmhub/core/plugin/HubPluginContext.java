package dev.llmhub.core.plugin;

import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@link PluginContext} the proxy hands a factory: settings from {@code callback_settings.<name>},
 * environment with {@code environment_variables} as defaults, a logger named after the plugin,
 * Micrometer-backed metrics, and the proxy's own JSON writer.
 */
public final class HubPluginContext extends ConfiguredPluginContext {
    private final System.Logger logger;
    private final MicrometerPluginMetrics metrics;

    /**
     * @param name                the configured name
     * @param pluginId            the plugin serving it, for the logger name
     * @param settings            {@code callback_settings.<name>} (may be empty)
     * @param environmentDefaults {@code environment_variables}
     * @param registry            metrics registry
     * @param proxyVersion        llmhub version
     */
    public HubPluginContext(String name, String pluginId, Map<String, Object> settings,
                            Map<String, String> environmentDefaults, MeterRegistry registry, String proxyVersion) {
        super(name, settings, environment(Map.copyOf(environmentDefaults)), proxyVersion);
        this.logger = System.getLogger("llmhub.plugin." + pluginId);
        this.metrics = new MicrometerPluginMetrics(registry, name);
    }

    /** The process environment, with {@code environment_variables} where a variable is unset or blank. */
    private static Function<String, String> environment(Map<String, String> defaults) {
        return variable -> {
            String v = System.getenv(variable);
            return v == null || v.isBlank() ? defaults.get(variable) : v;
        };
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public PluginMetrics metrics() {
        return metrics;
    }

    /** Unregisters the meters the plugin made through this context. */
    public void release() {
        metrics.remove();
    }
}
