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
        settings.environment().ifPresent(e -> {
            String stored = LangfuseSettings.langfuseEnvironment(e);
            if (!stored.equals(e)) {
                context.logger().log(System.Logger.Level.WARNING, "callback_settings." + context.name()
                        + ".environment '" + e + "' is not a name Langfuse keeps as it is: Langfuse files these traces"
                        + " under '" + stored + "' (it lower-cases the name, removes a leading 'langfuse', keeps 40"
                        + " characters and uses 'default' for anything but a-z, 0-9, - and _)");
            }
        });
        return new LangfuseDestination(settings, context.logger(), context.proxyVersion());
    }
}
