package dev.llmhub.plugin.otel;

import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginMetrics;
import dev.llmhub.api.PluginSettings;
import dev.llmhub.core.record.CallRecordJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A plugin context like the proxy's: given settings and environment, counters and log lines kept for assertions. */
final class TestContext implements PluginContext {
    final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    final List<String> logLines = new CopyOnWriteArrayList<>();
    private final PluginSettings settings;
    private final Map<String, String> env;

    TestContext(Map<String, ?> settings, Map<String, String> env) {
        this.settings = new PluginSettings("callback_settings.otel", settings);
        this.env = Map.copyOf(env);
    }

    @Override
    public String name() {
        return "otel";
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
                return "otel";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
                logLines.add(level + " " + msg + (thrown == null ? "" : " " + thrown));
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
                logLines.add(level + " " + (params == null ? format : java.text.MessageFormat.format(format, params)));
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
        return "0.1.0-test";
    }

    @Override
    public String toJson(Object value) {
        return CallRecordJson.write(value);
    }
}
