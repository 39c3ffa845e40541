package dev.llmhub.plugin.langfuse;

import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.PluginContext;
import org.pf4j.Extension;

/**
 * The {@code langfuse} destination: {@code success_callback: ["langfuse"]} with
 * {@code LANGFUSE_PUBLIC_KEY}, {@code LANGFUSE_SECRET_KEY} and {@code LANGFUSE_HOST} set, as in LiteLLM.
 * Settings are described in {@code docs/destinations/langfuse.md}.
 */
@Extension
public final class LangfuseDestinationFactory implements DestinationFactory {
    /** The name configs use. */
    public static final String NAME = "langfuse";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Destination create(PluginContext context) {
        LangfuseSettings settings = LangfuseSettings.from(context);
        settings.environment().filter(e -> !LangfuseSettings.isLangfuseEnvironment(e)).ifPresent(e ->
                context.logger().log(System.Logger.Level.WARNING, "callback_settings." + context.name()
                        + ".environment '" + e + "' is not a Langfuse environment name (lower-case letters, digits, - "
                        + "and _, at most 40, not starting with 'langfuse'): Langfuse will file these traces under 'default'"));
        return new LangfuseDestination(settings, context.logger(), context.proxyVersion());
    }
}
