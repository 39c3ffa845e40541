package dev.llmhub.core.plugin;

import java.util.List;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: the packages in {@link #HOST_PACKAGES} always come from the proxy (so a
 * plugin's {@code Destination} is the proxy's {@code Destination}), everything else plugin-first —
 * a plugin may bundle any library version it likes without clashing with the proxy's.
 */
final class HostFirstPluginClassLoader extends PluginClassLoader {

    /**
     * The one list of what plugins share with the proxy: the plugin API, PF4J, and the SLF4J API
     * (PF4J and many libraries log through it; two copies would break its binding). A plugin must
     * not bundle these — the host checks the API and refuses such a plugin with a clear message.
     */
    static final List<String> HOST_PACKAGES = List.of("dev.llmhub.api.", "org.pf4j.", "org.slf4j.");

    HostFirstPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader host) {
        super(manager, descriptor, host);
    }

    static boolean isHostClass(String name) {
        for (String p : HOST_PACKAGES) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Class<?> loadClass(String name) throws ClassNotFoundException {
        if (isHostClass(name)) {
            return getParent().loadClass(name);
        }
        return super.loadClass(name);
    }

    static {
        ClassLoader.registerAsParallelCapable();
    }
}
