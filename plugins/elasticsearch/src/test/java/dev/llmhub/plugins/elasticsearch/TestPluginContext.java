package dev.llmhub.plugins.elasticsearch;

import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginMetrics;
import dev.llmhub.api.PluginSettings;
import dev.llmhub.core.record.CallRecordJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plugin context like the proxy's: settings, an environment, a logger that keeps every line, counters
 * that can be read back, and the core's own record JSON writer.
 */
public final class TestPluginContext implements PluginContext {
    private final PluginSettings settings;
    private final Map<String, String> env;
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    /**
     * @param settings {@code callback_settings.elasticsearch}
     * @param env      environment variables
     */
    public TestPluginContext(Map<String, ?> settings, Map<String, String> env) {
        this.settings = new PluginSettings("callback_settings.elasticsearch", settings);
        this.env = Map.copyOf(env);
    }

    /** @param settings {@code callback_settings.elasticsearch} @return a context with an empty environment */
    public static TestPluginContext of(Map<String, ?> settings) {
        return new TestPluginContext(settings, Map.of());
    }

    /** @return every line logged so far, with its level */
    public List<String> logLines() {
        return List.copyOf(logLines);
    }

    /** @param name counter name @return its value */
    public long counter(String name) {
        AtomicLong c = counters.get(name);
        return c == null ? 0 : c.get();
    }

    @Override
    public String name() {
        return "elasticsearch";
    }

    @Override
    public PluginSettings settings() {
        return settings;
    }

    @Override
    public Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    @Override
    public System.Logger logger() {
        return new System.Logger() {
            @Override
            public String getName() {
                return "llmhub.plugin.elasticsearch";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                logLines.add(level + " " + msg + (thrown == null ? "" : " " + thrown));
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                logLines.add(level + " " + (params == null || params.length == 0 ? format
                        : java.text.MessageFormat.format(format, params)));
            }
        };
    }

    @Override
    public PluginMetrics metrics() {
        return (name, description) -> {
            AtomicLong c = counters.computeIfAbsent(name, n -> new AtomicLong());
            return c::addAndGet;
        };
    }

    @Override
    public String proxyVersion() {
        return "0.1.0-SNAPSHOT";
    }

    @Override
    public String toJson(Object value) {
        return CallRecordJson.write(value);
    }
}
