package dev.llmhub.core.delivery;

import dev.llmhub.core.plugin.PluginInvoker;
import java.util.Objects;

/**
 * A lane's current provider: the plugin instance that serves it and the invoker every call into it
 * goes through. Dropped (and the instance closed) before its plugin is unloaded.
 *
 * @param pluginId      plugin id
 * @param pluginVersion plugin version
 * @param instance      a {@code Destination} or a {@code CallbackHandler}
 * @param invoker       the wrapper for calls into {@code instance}
 * @param onClose       releases what the proxy made for the instance (its plugin metrics); may be a no-op
 */
public record Binding(String pluginId, String pluginVersion, AutoCloseable instance, PluginInvoker invoker,
                      Runnable onClose) {
    public Binding {
        Objects.requireNonNull(pluginId, "pluginId is null");
        Objects.requireNonNull(pluginVersion, "pluginVersion is null");
        Objects.requireNonNull(instance, "instance is null");
        Objects.requireNonNull(invoker, "invoker is null");
        Objects.requireNonNull(onClose, "onClose is null");
    }
}
