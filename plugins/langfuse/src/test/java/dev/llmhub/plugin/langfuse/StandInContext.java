package dev.llmhub.plugin.langfuse;

import dev.llmhub.plugin.testkit.TestPluginContext;
import java.util.HashMap;
import java.util.Map;

/** The plugin context most tests use: settings pointing at the stand-in, with its keys in the environment. */
final class StandInContext {
    private StandInContext() {
    }

    /** @param api {@code otel} or {@code ingestion} @return a context whose settings point at the stand-in */
    static TestPluginContext of(LangfuseStandIn standIn, String api) {
        return of(standIn, api, Map.of());
    }

    /** @param api {@code otel} or {@code ingestion} @param more settings added or replaced @return the context */
    static TestPluginContext of(LangfuseStandIn standIn, String api, Map<String, ?> more) {
        Map<String, Object> settings = new HashMap<>(Map.of("api", api, "host", standIn.url(), "timeout", "60s"));
        settings.putAll(more);
        return TestPluginContext.of("langfuse", settings,
                Map.of("LANGFUSE_PUBLIC_KEY", LangfuseStandIn.PUBLIC_KEY, "LANGFUSE_SECRET_KEY", LangfuseStandIn.SECRET_KEY,
                        "LANGFUSE_RELEASE", "rel-2026.11", "LANGFUSE_TRACING_ENVIRONMENT", "staging"));
    }
}
