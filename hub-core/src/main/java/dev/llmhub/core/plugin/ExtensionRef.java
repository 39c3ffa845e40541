package dev.llmhub.core.plugin;

import java.util.List;

/**
 * One destination or callback handler a loaded plugin offers.
 *
 * @param pluginId      the plugin's id
 * @param pluginVersion its version
 * @param name          the extension's own name ({@code DestinationFactory.name()})
 * @param kind          what it creates
 * @param factory       a {@code DestinationFactory} or {@code CallbackHandlerFactory} from the plugin
 * @param names         the names the config may use for it
 * @param loader        the plugin's class loader, for calls into {@code factory}
 */
public record ExtensionRef(String pluginId, String pluginVersion, String name, Kind kind, Object factory,
                           List<String> names, ClassLoader loader) {

    @Override
    public String toString() {
        return "ExtensionRef[" + names + " from " + pluginId + " " + pluginVersion + "]";
    }

    /** What an extension creates. */
    public enum Kind {
        /** a {@code Destination} */
        DESTINATION,
        /** a {@code CallbackHandler} */
        HANDLER
    }
}
