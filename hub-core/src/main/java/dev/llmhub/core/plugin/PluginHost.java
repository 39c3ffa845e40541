package dev.llmhub.core.plugin;

import dev.llmhub.core.watch.SettlingWatcher;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * The plugin host: keeps the started plugins in line with the plugins directory and says which
 * extension offers a configured name.
 *
 * <p>Three parts, one job each: {@link PluginDirectory} (the zips as files), {@link PluginLifecycle}
 * (PF4J: start, stop) and {@link ExtensionCatalog} (an immutable snapshot of who offers what). Reloads
 * run one at a time on the host's own thread; no lock is held while plugin code or the
 * {@link Listener} runs, and {@link #resolve} never waits for a reload.
 *
 * <p>Hot swap is the host's job (PF4J trap 5): before a plugin is unloaded the listener (the delivery
 * side) stops sending to its instances, waits for the calls in progress and drops every reference;
 * only then is the plugin stopped and unloaded; its expanded folder goes after the reload, when no zip
 * of the directory needs it any more.
 */
public final class PluginHost implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PluginHost.class.getName());
    /** How long the directory stays unchanged before a reload: a zip being copied fires many events. */
    static final Duration QUIET = Duration.ofMillis(400);

    /** Told about plugins arriving and leaving, so lanes can bind and unbind. */
    public interface Listener {
        /** @param pluginId about to be unloaded: stop using it and drop every reference to it */
        void beforeUnload(String pluginId);

        /** @param pluginId just started: bind what waits for its names */
        void afterLoad(String pluginId);
    }

    private static final Listener NO_LISTENER = new Listener() {
        @Override
        public void beforeUnload(String pluginId) {
        }

        @Override
        public void afterLoad(String pluginId) {
        }
    };

    private final PluginDirectory directory;
    private final PluginLifecycle lifecycle;
    private final ExecutorService reloads;
    private volatile ExtensionCatalog catalog = ExtensionCatalog.EMPTY;
    private volatile Listener listener = NO_LISTENER;
    private volatile boolean closed;
    private SettlingWatcher watcher;
    /** Fingerprints of zips last looked at (reload thread only): an unchanged zip that failed is not retried. */
    private final Map<Path, PluginDirectory.Fingerprint> seen = new LinkedHashMap<>();
    /** Whether {@link #loadFor} left new or changed zips unlooked at (their plugins are not needed yet). */
    private volatile boolean unlooked;

    /**
     * Creates a host over a directory that expands each zip again at every load, into a temporary
     * folder; nothing is loaded until {@link #reload()} or {@link #loadFor}.
     *
     * @param pluginsDir where the plugin zips are (need not exist yet)
     */
    public PluginHost(Path pluginsDir) {
        this(pluginsDir, Optional.empty());
    }

    /**
     * Creates a host over a directory; nothing is loaded until {@link #reload()} or {@link #loadFor}.
     *
     * @param pluginsDir  where the plugin zips are (need not exist yet)
     * @param expandedDir where expanded zips stay for the next start, each folder named after its zip's
     *                    hash (see {@link PluginDirectory}); empty: a temporary folder
     */
    public PluginHost(Path pluginsDir, Optional<Path> expandedDir) {
        this.directory = new PluginDirectory(pluginsDir, expandedDir);
        this.lifecycle = new PluginLifecycle(directory.path());
        this.reloads = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                .name("llmhub-plugin-reload").unstarted(r));
    }

    /** @return the plugins directory */
    public Path pluginsDir() {
        return directory.path();
    }

    /** @param l who to tell about plugins arriving and leaving */
    public void setListener(Listener l) {
        this.listener = l == null ? NO_LISTENER : l;
    }

    /** Starts watching the plugins directory; changes trigger {@link #reload()}. */
    public synchronized void watch() {
        if (watcher != null) {
            return;
        }
        if (!Files.isDirectory(directory.path())) {
            LOG.log(Level.WARNING, "plugins directory {0} does not exist: not watching it", directory.path());
            return;
        }
        try {
            watcher = new SettlingWatcher(directory.path(), entry -> true, QUIET, "plugin", this::reload);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot watch {0} for plugin changes ({1}); use POST /admin/plugins/reload",
                    directory.path(), e.getMessage());
        }
    }

    /**
     * Brings the started plugins in line with the directory: new zips load, a zip with a new version
     * of a started plugin replaces it, removed zips unload. Waits for the reload to finish.
     *
     * @return what changed
     */
    public ReloadReport reload() {
        return onReloadThread(() -> reloadNow(id -> true));
    }

    /**
     * Loads what these configured names need: the plugins whose id a name is or starts with
     * ({@code <plugin-id>} or {@code <plugin-id>.<name>}), new or changed since last looked at. The other
     * zips wait until {@link #plugins()} lists them or the directory changes: at start, loading the
     * plugins nobody configured was most of the time to ready (seven installed, two used). When a name
     * is still unknown afterwards, everything loads, so the error can list every installed name.
     *
     * @param names configured callback names
     * @return what changed
     */
    public ReloadReport loadFor(Collection<String> names) {
        ReloadReport r = onReloadThread(() -> reloadNow(id -> names.stream().anyMatch(n -> n.equals(id) || n.startsWith(id + "."))));
        return names.stream().allMatch(n -> resolve(n).isPresent()) ? r : r.and(reload());
    }

    private ReloadReport onReloadThread(Callable<ReloadReport> task) {
        Future<ReloadReport> f;
        try {
            f = reloads.submit(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return new ReloadReport(List.of(), List.of(), List.of(), List.of());
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while plugins reload");
        } catch (ExecutionException e) {
            throw new IllegalStateException("plugin reload failed: " + PluginInvoker.describe(e.getCause()), e.getCause());
        }
    }

    /** Runs on the reload thread only; looks only at zips whose plugin id is {@code wanted}. */
    private ReloadReport reloadNow(Predicate<String> wanted) {
        if (closed) {
            return new ReloadReport(List.of(), List.of(), List.of(), List.of());
        }
        Map<Path, PluginDirectory.Fingerprint> present = directory.scan();
        List<String> added = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        List<String> unloaded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        boolean skipped = false;
        catalog = catalog.retainNotRunning(present.keySet());

        // Zips new or changed since we last looked, by plugin id; the newest version wins.
        Map<String, List<Map.Entry<Path, PluginDirectory.Descriptor>>> candidates = new LinkedHashMap<>();
        for (Map.Entry<Path, PluginDirectory.Fingerprint> e : present.entrySet()) {
            Path zip = e.getKey();
            PluginDirectory.Fingerprint fp = e.getValue();
            boolean current = catalog.started().stream().anyMatch(l -> l.zip().equals(zip) && l.fingerprint().equals(fp));
            boolean failedBefore = catalog.notRunning(zip).isPresent() && fp.equals(seen.get(zip));
            if (current || failedBefore) {
                continue;
            }
            try {
                PluginDirectory.Descriptor d = PluginDirectory.descriptor(zip);
                if (!wanted.test(d.id())) {
                    skipped = true; // not looked at: a later reload still sees it as new
                    continue;
                }
                seen.put(zip, fp);
                candidates.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(Map.entry(zip, d));
            } catch (PluginLoadException ex) {
                seen.put(zip, fp);
                fail(zip, PluginDirectory.fileId(zip), "?", ex.getMessage(), failed);
            }
        }
        for (Map.Entry<String, List<Map.Entry<Path, PluginDirectory.Descriptor>>> c : candidates.entrySet()) {
            String id = c.getKey();
            List<Map.Entry<Path, PluginDirectory.Descriptor>> zips = new ArrayList<>(c.getValue());
            zips.sort(Comparator.comparing((Map.Entry<Path, PluginDirectory.Descriptor> e) -> e.getValue().version(),
                    lifecycle::compareVersions).reversed());
            Path chosen = zips.get(0).getKey();
            for (Map.Entry<Path, PluginDirectory.Descriptor> other : zips.subList(1, zips.size())) {
                supersede(other.getKey(), other.getValue(), chosen);
            }
            Optional<LoadedPlugin> old = catalog.plugin(id);
            old.ifPresent(this::unload);
            old.filter(o -> present.containsKey(o.zip()) && !o.zip().equals(chosen))
                    .ifPresent(o -> supersede(o.zip(), new PluginDirectory.Descriptor(o.id(), o.version()), chosen));
            try {
                LoadedPlugin l = load(chosen, present.get(chosen));
                (old.isPresent() ? replaced : added).add(id);
                LOG.log(Level.INFO, "plugin {0} {1} {2} from {3}: names {4}", id, l.version(),
                        old.map(o -> "replaced " + o.version()).orElse("loaded"), chosen.getFileName(), l.names());
                listener.afterLoad(id);
            } catch (PluginLoadException ex) {
                fail(chosen, id, zips.get(0).getValue().version(), ex.getMessage(), failed);
                if (old.isPresent()) {
                    unloaded.add(id);
                }
            }
        }
        for (LoadedPlugin l : List.copyOf(catalog.started())) {
            if (!present.containsKey(l.zip())) {
                unload(l);
                unloaded.add(l.id());
                LOG.log(Level.INFO, "plugin {0} {1} unloaded: {2} was removed", l.id(), l.version(), l.zip().getFileName());
            }
        }
        seen.keySet().retainAll(present.keySet());
        unlooked = skipped;
        directory.retain(catalog.started().stream().map(LoadedPlugin::expanded).toList());
        return new ReloadReport(added, replaced, unloaded, failed);
    }

    private LoadedPlugin load(Path zip, PluginDirectory.Fingerprint fp) {
        Path folder = directory.expand(zip);
        LoadedPlugin l;
        try {
            l = lifecycle.start(zip, fp, folder);
        } catch (PluginLoadException e) {
            directory.delete(folder);
            throw e;
        }
        Optional<String> conflict = catalog.conflicts(l);
        if (conflict.isPresent()) {
            lifecycle.stop(l.id());
            directory.delete(folder);
            throw new PluginLoadException(conflict.get());
        }
        catalog = catalog.withStarted(l);
        return l;
    }

    private void unload(LoadedPlugin l) {
        try {
            listener.beforeUnload(l.id());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "releasing plugin {0} failed: {1}", l.id(), e.getMessage());
        }
        catalog = catalog.withoutStarted(l.id());
        lifecycle.stop(l.id());
    }

    private void fail(Path zip, String id, String version, String message, List<String> failed) {
        catalog = catalog.withNotRunning(zip, new PluginStatus(id, version, zip.getFileName().toString(), "failed",
                List.of(), Optional.of(message)));
        failed.add(zip.getFileName() + ": " + message);
        LOG.log(Level.WARNING, "plugin {0} not loaded: {1}", zip.getFileName(), message);
    }

    private void supersede(Path zip, PluginDirectory.Descriptor d, Path by) {
        catalog = catalog.withNotRunning(zip, new PluginStatus(d.id(), d.version(), zip.getFileName().toString(),
                "superseded", List.of(), Optional.of("a newer zip with the same plugin id is loaded: " + by.getFileName())));
    }

    /**
     * Finds who offers a configured name: {@code <plugin-id>} or {@code <plugin-id>.<name>}.
     *
     * @param name the configured name
     * @return the extension, if a started plugin offers it
     */
    public Optional<ExtensionRef> resolve(String name) {
        return catalog.resolve(name);
    }

    /** @return every plugin zip: started, failed or superseded (loading those {@link #loadFor} left aside) */
    public List<PluginStatus> plugins() {
        if (unlooked) {
            reload();
        }
        return catalog.statuses();
    }

    /** @return one line per installed plugin with its names, for error messages */
    public String describeInstalled() {
        return catalog.describe(directory.path());
    }

    /** @param pluginId a started plugin @return its class loader (tests prove it is collected after unload) */
    public Optional<ClassLoader> classLoader(String pluginId) {
        return catalog.plugin(pluginId).map(LoadedPlugin::loader);
    }

    /** @param pluginId a plugin id @return its extensions, when started */
    public List<ExtensionRef> extensions(String pluginId) {
        return catalog.plugin(pluginId).map(LoadedPlugin::extensions).orElse(List.of());
    }

    /** Stops watching, unloads every plugin (after the listener released it); a temporary expanded folder is deleted. */
    @Override
    public void close() {
        synchronized (this) {
            if (watcher != null) {
                watcher.close();
                watcher = null;
            }
        }
        Future<?> f;
        try {
            f = reloads.submit(() -> {
                closed = true;
                for (LoadedPlugin l : List.copyOf(catalog.started())) {
                    unload(l);
                }
                directory.close();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // already closed
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "unloading plugins failed: {0}", PluginInvoker.describe(e.getCause()));
        }
        reloads.shutdown();
    }
}
