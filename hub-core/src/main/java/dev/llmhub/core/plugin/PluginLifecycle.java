package dev.llmhub.core.plugin;

import dev.llmhub.api.CallbackHandlerFactory;
import dev.llmhub.api.DestinationFactory;
import java.lang.System.Logger.Level;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.pf4j.BasePluginLoader;
import org.pf4j.DefaultPluginClasspath;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * PF4J's part: turns an expanded plugin folder into a started plugin with its extensions, and stops
 * and unloads it again. Every call into plugin code (start, extension discovery, stop) runs through a
 * {@link PluginInvoker} on its own thread with a time limit, so a plugin that hangs or throws while
 * loading fails to load instead of hanging the host.
 */
final class PluginLifecycle {
    private static final System.Logger LOG = System.getLogger(PluginLifecycle.class.getName());
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final String API_MARKER = "dev/llmhub/api/CallRecord.class";

    private final HostPluginManager manager;

    PluginLifecycle(Path workDir) {
        this.manager = new HostPluginManager(workDir);
    }

    /** @return whether version {@code a} is newer than {@code b}, by PF4J's rules */
    int compareVersions(String a, String b) {
        return manager.getVersionManager().compareVersions(a, b);
    }

    /**
     * Loads and starts the plugin in {@code folder} and lists its extensions.
     *
     * @throws PluginLoadException saying why it cannot run; nothing stays loaded
     */
    LoadedPlugin start(Path zip, PluginDirectory.Fingerprint fingerprint, Path folder) {
        String id;
        try {
            id = manager.loadPlugin(folder);
        } catch (RuntimeException e) {
            throw new PluginLoadException("PF4J refused it: " + PluginInvoker.describe(e));
        }
        if (id == null) {
            throw new PluginLoadException("PF4J refused it (see the log above)");
        }
        PluginWrapper w = manager.getPlugin(id);
        ClassLoader loader = w.getPluginClassLoader();
        PluginInvoker invoker = new PluginInvoker("plugin-" + id, loader);
        try {
            if (loader instanceof URLClassLoader u && u.findResource(API_MARKER) != null) {
                throw new PluginLoadException("it bundles its own copy of the plugin API (dev.llmhub.api); declare "
                        + "llmhub-plugin-api with <scope>provided</scope> so it is left out of the zip");
            }
            PluginInvoker.Outcome<PluginState> started = invoker.callOnOwnThread("start", CALL_TIMEOUT,
                    () -> manager.startPlugin(id));
            if (started instanceof PluginInvoker.Outcome.Failed<PluginState> f) {
                throw new PluginLoadException("start failed: " + f.message());
            }
            if (w.getPluginState() != PluginState.STARTED) {
                Throwable t = w.getFailedException();
                throw new PluginLoadException("start failed" + (t == null ? "" : ": " + PluginInvoker.describe(t)));
            }
            String version = w.getDescriptor().getVersion();
            PluginInvoker.Outcome<List<ExtensionRef>> found = invoker.callOnOwnThread("discover extensions",
                    CALL_TIMEOUT, () -> discover(id, version, loader));
            if (found instanceof PluginInvoker.Outcome.Failed<List<ExtensionRef>> f) {
                throw f.error() instanceof PluginLoadException ple ? ple
                        : new PluginLoadException("its extensions cannot be created: " + f.message());
            }
            List<ExtensionRef> extensions = ((PluginInvoker.Outcome.Ok<List<ExtensionRef>>) found).value();
            return new LoadedPlugin(id, version, zip, fingerprint, folder, extensions, loader);
        } catch (PluginLoadException e) {
            stop(id);
            throw e;
        }
    }

    private List<ExtensionRef> discover(String id, String version, ClassLoader loader) {
        record Found(String name, ExtensionRef.Kind kind, Object factory) {
        }
        List<Found> found = new ArrayList<>();
        for (DestinationFactory f : manager.getExtensions(DestinationFactory.class, id)) {
            found.add(new Found(f.name(), ExtensionRef.Kind.DESTINATION, f));
        }
        for (CallbackHandlerFactory f : manager.getExtensions(CallbackHandlerFactory.class, id)) {
            found.add(new Found(f.name(), ExtensionRef.Kind.HANDLER, f));
        }
        if (found.isEmpty()) {
            throw new PluginLoadException("it offers no DestinationFactory or CallbackHandlerFactory extension "
                    + "(is META-INF/extensions.idx in the zip? JDK 23+ needs PF4J in annotationProcessorPaths)");
        }
        Set<String> seen = new HashSet<>();
        for (Found f : found) {
            if (f.name == null || f.name.isBlank()) {
                throw new PluginLoadException(f.factory.getClass().getName() + ".name() is blank");
            }
            if (!seen.add(f.name)) {
                throw new PluginLoadException("two extensions are named '" + f.name + "'");
            }
        }
        List<ExtensionRef> out = new ArrayList<>();
        for (Found f : found) {
            List<String> names = new ArrayList<>();
            if (found.size() == 1 || f.name.equals(id)) {
                names.add(id);
            }
            if (!f.name.equals(id) || found.size() > 1) {
                names.add(id + "." + f.name);
            }
            out.add(new ExtensionRef(id, version, f.name, f.kind, f.factory, List.copyOf(names), loader));
        }
        return List.copyOf(out);
    }

    /** Stops and unloads a plugin (its {@code Plugin.stop()} runs with a time limit). */
    void stop(String id) {
        PluginWrapper w = manager.getPlugin(id);
        if (w == null) {
            return;
        }
        PluginInvoker invoker = new PluginInvoker("plugin-" + id, w.getPluginClassLoader());
        PluginInvoker.Outcome<Boolean> o = invoker.callOnOwnThread("stop", CALL_TIMEOUT, () -> manager.unloadPlugin(id));
        if (o instanceof PluginInvoker.Outcome.Failed<Boolean> f) {
            LOG.log(Level.WARNING, "plugin {0} did not stop cleanly: {1}", id, f.message());
            try {
                manager.unloadPlugin(id); // make sure PF4J has let go of it
            } catch (RuntimeException ignored) {
                // already unloaded
            }
        }
    }

    /** PF4J with our class loading rule and without its own zip handling (the host expands zips). */
    private static final class HostPluginManager extends DefaultPluginManager {
        HostPluginManager(Path root) {
            super(root);
        }

        @Override
        protected PluginLoader createPluginLoader() {
            ClassLoader host = PluginLifecycle.class.getClassLoader();
            return new BasePluginLoader(this, new DefaultPluginClasspath()) {
                @Override
                public boolean isApplicable(Path pluginPath) {
                    return Files.isDirectory(pluginPath);
                }

                @Override
                protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                    return new HostFirstPluginClassLoader(pluginManager, descriptor, host);
                }
            };
        }
    }
}
