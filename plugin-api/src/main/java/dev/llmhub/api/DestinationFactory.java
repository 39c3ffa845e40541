package dev.llmhub.api;

import org.pf4j.ExtensionPoint;

/**
 * Creates a {@link Destination} from its settings. Annotate an implementation with
 * {@code @org.pf4j.Extension} in a plugin; the proxy finds it by {@link #name()}.
 *
 * <p>The config names a destination as {@code <plugin-id>} (when the plugin has one extension, or
 * one whose name equals the plugin id) or {@code <plugin-id>.<name>}.
 */
public interface DestinationFactory extends ExtensionPoint {

    /** @return the name this factory answers to inside its plugin, e.g. {@code otel} */
    String name();

    /**
     * Creates the destination. Validate every setting here and throw
     * {@link PluginConfigException} with a clear message: the proxy refuses to start on it.
     *
     * @param context the settings, environment, logger and metrics of this destination
     * @return a ready destination
     * @throws Exception when it cannot be created
     */
    Destination create(PluginContext context) throws Exception;
}
