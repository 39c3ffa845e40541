package dev.llmhub.core.plugin;

import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginMetrics;
import dev.llmhub.api.PluginSettings;
import dev.llmhub.core.record.CallRecordJson;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link PluginContext} the proxy hands a factory: settings from {@code callback_settings.<name>},
 * environment with {@code environment_variables} as defaults, a logger named after the plugin,
 * Micrometer-backed metrics, and the proxy's own JSON writer.
 */
public final class HubPluginContext implements PluginContext {
    private final String name;
    private final PluginSettings settings;
    private final Map<String, String> environmentDefaults;
    private final System.Logger logger;
    private final MicrometerPluginMetrics metrics;
    private final String proxyVersion;

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
        this.name = name;
        this.settings = new PluginSettings("callback_settings." + name, settings);
        this.environmentDefaults = Map.copyOf(environmentDefaults);
        this.logger = System.getLogger("llmhub.plugin." + pluginId);
        this.metrics = new MicrometerPluginMetrics(registry, name);
        this.proxyVersion = proxyVersion;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PluginSettings settings() {
        return settings;
    }

    @Override
    public Optional<String> env(String variable) {
        String v = System.getenv(variable);
        if (v == null || v.isBlank()) {
            v = environmentDefaults.get(variable);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public PluginMetrics metrics() {
        return metrics;
    }

    @Override
    public String proxyVersion() {
        return proxyVersion;
    }

    @Override
    public String toJson(Object value) {
        return CallRecordJson.write(value);
    }

    /** Unregisters the meters the plugin made through this context. */
    public void release() {
        metrics.remove();
    }
}
