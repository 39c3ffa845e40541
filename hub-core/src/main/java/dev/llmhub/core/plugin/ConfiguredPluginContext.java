package dev.llmhub.core.plugin;

import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginSettings;
import dev.llmhub.core.record.CallRecordJson;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link PluginContext} gives the same way wherever it runs: the configured name, its
 * settings under {@code callback_settings.<name>}, the environment (blank counts as unset), the
 * proxy's version and its JSON writer. The proxy's context and the testkit's extend it, so a plugin's
 * unit tests see settings errors and call record JSON exactly as the proxy gives them; they differ
 * only in where the environment, logs and metrics go.
 */
public abstract class ConfiguredPluginContext implements PluginContext {
    private final String name;
    private final PluginSettings settings;
    private final Function<String, String> environment;
    private final String proxyVersion;

    /**
     * @param name         the configured name
     * @param settings     {@code callback_settings.<name>} (may be empty)
     * @param environment  a variable's value, or null when it is unset
     * @param proxyVersion llmhub version
     */
    protected ConfiguredPluginContext(String name, Map<String, ?> settings, Function<String, String> environment,
                                      String proxyVersion) {
        this.name = name;
        this.settings = new PluginSettings("callback_settings." + name, settings);
        this.environment = Objects.requireNonNull(environment, "environment is null");
        this.proxyVersion = proxyVersion;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final PluginSettings settings() {
        return settings;
    }

    @Override
    public final Optional<String> env(String variable) {
        String v = environment.apply(variable);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    @Override
    public final String proxyVersion() {
        return proxyVersion;
    }

    @Override
    public final String toJson(Object value) {
        return CallRecordJson.write(value);
    }

    @Override
    public final byte[] toJsonUtf8(Object value) {
        return CallRecordJson.utf8(value);
    }
}
