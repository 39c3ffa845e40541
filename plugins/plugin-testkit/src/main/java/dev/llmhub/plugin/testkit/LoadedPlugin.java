package dev.llmhub.plugin.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * A plugin zip loaded by real PF4J, the way the proxy loads it: the zip is expanded, its classes
 * load in their own class loader, and plugin-api comes from the test's class path. Proves what unit
 * tests on {@code target/classes} cannot: that the zip itself works.
 *
 * <pre>{@code
 * try (LoadedPlugin p = LoadedPlugin.load(PluginZipCheck.builtZip(), tempDir)) {
 *     DestinationFactory f = p.extension(DestinationFactory.class, "file");
 * }
 * }</pre>
 *
 * Use the extension through its plugin-api interface only: its class comes from the plugin's class
 * loader, so casting it to the plugin's own class fails.
 */
public final class LoadedPlugin implements AutoCloseable {
    private final PluginManager manager;
    private final String pluginId;

    private LoadedPlugin(PluginManager manager, String pluginId) {
        this.manager = manager;
        this.pluginId = pluginId;
    }

    /**
     * Copies the zip into {@code pluginsDir}, loads and starts it.
     *
     * @param zip        a plugin zip
     * @param pluginsDir an empty directory to expand it in
     * @return the started plugin
     * @throws AssertionError when PF4J does not load or start it, with PF4J's reason
     */
    public static LoadedPlugin load(Path zip, Path pluginsDir) {
        Path copy;
        try {
            Files.createDirectories(pluginsDir);
            copy = Files.copy(zip, pluginsDir.resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DefaultPluginManager manager = new DefaultPluginManager(pluginsDir);
        String id = manager.loadPlugin(copy);
        if (id == null) {
            throw new AssertionError("PF4J did not load " + zip);
        }
        PluginState state = manager.startPlugin(id);
        if (state != PluginState.STARTED) {
            PluginWrapper w = manager.getPlugin(id);
            throw new AssertionError("plugin " + id + " is " + state + ", not STARTED", w.getFailedException());
        }
        return new LoadedPlugin(manager, id);
    }

    /** @return the plugin's id from its plugin.properties */
    public String pluginId() {
        return pluginId;
    }

    /**
     * @return the plugin's own class loader; to prove it is collected after {@link #close()}, keep only
     *         a {@link ClassLoaderWatch} of it
     */
    public ClassLoader classLoader() {
        return manager.getPluginClassLoader(pluginId);
    }

    /** @param type an extension point, e.g. {@code DestinationFactory.class} @return this plugin's extensions of it */
    public <T> List<T> extensions(Class<T> type) {
        return manager.getExtensions(type, pluginId);
    }

    /**
     * @param type an extension point whose implementations have a {@code name()}
     * @param name the name to find
     * @return the one extension of that type with that name
     * @throws AssertionError when there is none, listing the names found
     */
    public <T> T extension(Class<T> type, String name) {
        List<T> all = extensions(type);
        List<String> names = all.stream().map(LoadedPlugin::nameOf).toList();
        for (T e : all) {
            if (name.equals(nameOf(e))) {
                return e;
            }
        }
        throw new AssertionError("plugin " + pluginId + " has no " + type.getSimpleName() + " named " + name
                + "; it has " + names);
    }

    private static String nameOf(Object extension) {
        if (extension instanceof dev.llmhub.api.DestinationFactory d) {
            return d.name();
        }
        if (extension instanceof dev.llmhub.api.CallbackHandlerFactory c) {
            return c.name();
        }
        return extension.getClass().getName();
    }

    /** Stops and unloads the plugin. */
    @Override
    public void close() {
        manager.stopPlugins();
        manager.unloadPlugins();
    }
}
