package dev.llmhub.plugin.otel;

import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.PluginContext;
import org.pf4j.Extension;

/**
 * The {@code otel} destination: enabled by {@code general_settings.otel: true} or
 * {@code callbacks: ["otel"]}, configured under {@code callback_settings.otel} and the OTel environment
 * variables (docs/destinations/otel.md).
 */
@Extension
public final class OtelDestinationFactory implements DestinationFactory {

    @Override
    public String name() {
        return "otel";
    }

    @Override
    public Destination create(PluginContext context) {
        return OtelDestination.create(context);
    }
}
