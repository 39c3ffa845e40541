package dev.llmhub.plugin.testkit;

import dev.llmhub.api.PluginContext;
import dev.llmhub.core.plugin.ConfiguredPluginContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link PluginContext} for a plugin's unit tests: the settings and environment you give it, a
 * logger that keeps what the plugin logs, counters you can read back, and the proxy's own JSON
 * writer, so {@link #toJson} gives exactly the documented call record form the proxy gives.
 *
 * <pre>{@code
 * TestPluginContext ctx = TestPluginContext.builder("file")
 *         .setting("path", dir.resolve("calls.jsonl").toString())
 *         .setting("max_size", "1MB")
 *         .build();
 * Destination d = new FileDestinationFactory().create(ctx);
 * }</pre>
 */
public final class TestPluginContext extends ConfiguredPluginContext {
    private final RecordingLogger logger;
    private final CountingPluginMetrics metrics = new CountingPluginMetrics();

    private TestPluginContext(Builder b) {
        super(b.name, b.settings, Map.copyOf(b.env)::get, b.proxyVersion);
        this.logger = new RecordingLogger(b.name);
    }

    /**
     * @param name the name the config would use, e.g. {@code file} or
     *             {@code custom_callbacks.proxy_handler_instance}; settings errors name
     *             {@code callback_settings.<name>.<key>}
     * @return a builder with no settings and no environment
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @param name the configured name @return a context with no settings */
    public static TestPluginContext of(String name) {
        return builder(name).build();
    }

    /**
     * The one-line form for tests that keep their settings and environment as maps, e.g. a table of
     * settings cases.
     *
     * @param name     the configured name
     * @param settings the keys under {@code callback_settings.<name>}
     * @param env      environment variables
     * @return a context with exactly those settings and that environment
     */
    public static TestPluginContext of(String name, Map<String, ?> settings, Map<String, String> env) {
        Builder b = builder(name).settings(settings);
        env.forEach(b::env);
        return b.build();
    }

    /** @return the logger the plugin got, with everything it logged */
    @Override
    public RecordingLogger logger() {
        return logger;
    }

    /** @return the metrics the plugin got, with every count */
    @Override
    public CountingPluginMetrics metrics() {
        return metrics;
    }

    /** Collects settings and environment; {@link #build()} freezes them. */
    public static final class Builder {
        private final String name;
        private final Map<String, Object> settings = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String proxyVersion = "0.0.0-test";

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name is null");
        }

        /**
         * @param key   a key under {@code callback_settings.<name>}
         * @param value a JSON-like value as YAML would give it: string, number, boolean, list, map
         * @return this
         */
        public Builder setting(String key, Object value) {
            settings.put(Objects.requireNonNull(key, "key is null"), value);
            return this;
        }

        /** @param values settings to add @return this */
        public Builder settings(Map<String, ?> values) {
            settings.putAll(values);
            return this;
        }

        /** @param variable environment variable @param value its value @return this */
        public Builder env(String variable, String value) {
            env.put(Objects.requireNonNull(variable, "variable is null"), Objects.requireNonNull(value, "value is null"));
            return this;
        }

        /** @param version what {@link PluginContext#proxyVersion()} returns @return this */
        public Builder proxyVersion(String version) {
            this.proxyVersion = Objects.requireNonNull(version, "version is null");
            return this;
        }

        /** @return the context */
        public TestPluginContext build() {
            return new TestPluginContext(this);
        }
    }
}
