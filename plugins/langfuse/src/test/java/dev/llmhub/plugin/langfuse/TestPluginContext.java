package dev.llmhub.plugin.langfuse;

import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginMetrics;
import dev.llmhub.api.PluginSettings;
import dev.llmhub.core.record.CallRecordJson;
import java.text.MessageFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** A plugin context for tests: given settings and environment, a logger that keeps every line. */
final class TestPluginContext implements PluginContext {
    private final String name;
    private final PluginSettings settings;
    private final Map<String, String> env;
    private final List<String> logLines = new CopyOnWriteArrayList<>();

    TestPluginContext(Map<String, ?> settings, Map<String, String> env) {
        this.name = "langfuse";
        this.settings = new PluginSettings("callback_settings.langfuse", settings);
        this.env = Map.copyOf(env);
    }

    /** @return a context whose settings point at the stand-in with its keys */
    static TestPluginContext forStandIn(LangfuseStandIn standIn, String api) {
        return new TestPluginContext(Map.of("api", api, "host", standIn.url(), "timeout", "60s"),
                Map.of("LANGFUSE_PUBLIC_KEY", LangfuseStandIn.PUBLIC_KEY, "LANGFUSE_SECRET_KEY", LangfuseStandIn.SECRET_KEY,
                        "LANGFUSE_RELEASE", "rel-2026.11", "LANGFUSE_TRACING_ENVIRONMENT", "staging"));
    }

    /** @return every line logged, as "LEVEL message" */
    List<String> logLines() {
        return List.copyOf(logLines);
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
        return Optional.ofNullable(env.get(variable)).filter(v -> !v.isBlank());
    }

    @Override
    public System.Logger logger() {
        return new System.Logger() {
            @Override
            public String getName() {
                return "langfuse";
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
                logLines.add(level + " " + (params == null ? format : MessageFormat.format(format, params)));
            }

            @Override
            public void log(Level level, Supplier<String> supplier) {
                logLines.add(level + " " + supplier.get());
            }
        };
    }

    @Override
    public PluginMetrics metrics() {
        return (counterName, description) -> amount -> { };
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
