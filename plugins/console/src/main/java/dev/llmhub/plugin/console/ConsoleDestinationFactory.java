package dev.llmhub.plugin.console;

import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.PluginContext;
import org.pf4j.Extension;

/**
 * The {@code console} destination: {@code callbacks: ["console"]} prints one line per call to the
 * proxy's standard output. It has no settings; the lane settings under
 * {@code callback_settings.console} (e.g. {@code message_logging}) are the proxy's own.
 */
@Extension
public final class ConsoleDestinationFactory implements DestinationFactory {

    @Override
    public String name() {
        return "console";
    }

    @Override
    public Destination create(PluginContext context) {
        return new ConsoleDestination();
    }
}
