package dev.llmhub.plugin.langfuse;

import dev.llmhub.plugin.testkit.TestPluginContext;
import java.util.Map;

/** The plugin context most tests use: settings pointing at the stand-in, with its keys in the environment. */
final class StandInContext {
    private StandInContext() {
    }

    /** @param api {@code otel} or {@code ingestion} @return a context whose settings point at the stand-in */
    static TestPluginContext of(LangfuseStandIn standIn, String api) {
        return TestPluginContext.of("langfuse", Map.of("api", api, "host", standIn.url(), "timeout", "60s"),
                Map.of("LANGFUSE_PUBLIC_KEY", LangfuseStandIn.PUBLIC_KEY, "LANGFUSE_SECRET_KEY", LangfuseStandIn.SECRET_KEY,
                        "LANGFUSE_RELEASE", "rel-2026.11", "LANGFUSE_TRACING_ENVIRONMENT", "staging"));
    }
}
