package dev.llmhub.core.plugin;

import dev.llmhub.api.CallbackHandlerFactory;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.pf4j.BasePluginLoader;
import org.pf4j.DefaultPluginClasspath;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * The PF4J plugin host: loads every {@code *.zip} in the plugins directory, says which names each
 * offers, and reloads when the directory changes.
 *
 * <p>Zips are expanded by the host, not by PF4J, into a private work directory, each load into a
 * fresh folder named after the zip (which carries the version) plus a generation number, deleted
 * when the plugin is unloaded. PF4J's own "expand next to the zip unless the folder is newer" rule
 * is what makes a replaced zip silently load the old code again (STACK.md, PF4J trap 4); here an
 * expanded folder is never reused.
 *
 * <p>Hot swap is the host's job (PF4J trap 5): before a plugin is unloaded the {@link Listener}
 * (the delivery runtime) stops sending to its instances, drains them and drops every reference;
 * only then does the host stop and unload the plugin and close its class loader.
 */
public final class PluginHost implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PluginHost.class.getName());
    private static final Duration PLUGIN_CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final String API_MARKER = "dev/llmhub/api/CallRecord.class";

    /** Told about plugins arriving and leaving, so lanes can bind and unbind. */
    public interface Listener {
        /** @param pluginId about to be unloaded: stop using it and drop every reference to it */
        void beforeUnload(String pluginId);

        /** @param pluginId just loaded and started: bind what waits for its names */
        void afterLoad(String pluginId);
    }

    private record Fingerprint(long size, FileTime modified) {
    }

    private record Descriptor(String id, String version) {
    }

    private static final class Loaded {
        final String id;
        final String version;
        final Path zip;
        final Fingerprint fingerprint;
        final Path expanded;
        final List<ExtensionRef> extensions;
        final ClassLoader loader;

        Loaded(String id, String version, Path zip, Fingerprint fingerprint, Path expanded,
               List<ExtensionRef> extensions, ClassLoader loader) {
            this.id = id;
            this.version = version;
            this.zip = zip;
            this.fingerprint = fingerprint;
            this.expanded = expanded;
            this.extensions = extensions;
            this.loader = loader;
        }
    }

    private record NotLoaded(Fingerprint fingerprint, PluginStatus status) {
    }

    private final Path pluginsDir;
    private final Path workDir;
    private final HostPluginManager manager;
    private final Map<String, Loaded> loaded = new TreeMap<>();
    private final Map<Path, NotLoaded> notLoaded = new TreeMap<>();
    private Listener listener = new Listener() {
        @Override
        public void beforeUnload(String pluginId) {
        }

        @Override
        public void afterLoad(String pluginId) {
        }
    };
    private int generation;
    private DirectoryWatcher watcher;

    /**
     * Creates a host over a directory; nothing is loaded until {@link #reload()}.
     *
     * @param pluginsDir where the plugin zips are (need not exist yet)
     */
    public PluginHost(Path pluginsDir) {
        this.pluginsDir = pluginsDir.toAbsolutePath().normalize();
        try {
            this.workDir = Files.createTempDirectory("llmhub-plugins-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for expanded plugins", e);
        }
        this.manager = new HostPluginManager(workDir);
    }

    /** @return the plugins directory */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** @param l who to tell about plugins arriving and leaving */
    public synchronized void setListener(Listener l) {
        this.listener = l;
    }

    /** Starts watching the plugins directory; changes trigger {@link #reload()}. */
    public synchronized void watch() {
        if (watcher != null || !Files.isDirectory(pluginsDir)) {
            if (watcher == null) {
                LOG.log(Level.WARNING, "plugins directory {0} does not exist: not watching it", pluginsDir);
            }
            return;
        }
        try {
            watcher = new DirectoryWatcher(pluginsDir, this::reload);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot watch {0} for plugin changes ({1}); use POST /admin/plugins/reload",
                    pluginsDir, e.getMessage());
        }
    }

    /**
     * Brings the loaded plugins in line with the directory: new zips load, zips with a new version of
     * a loaded plugin replace it, removed zips unload.
     *
     * @return what changed
     */
    public synchronized ReloadReport reload() {
        Map<Path, Fingerprint> present = scan();
        List<String> added = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        List<String> unloaded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        notLoaded.keySet().retainAll(present.keySet());

        // Zips that are new or changed since we last looked, by plugin id, newest version wins.
        Map<String, List<Map.Entry<Path, Descriptor>>> candidates = new LinkedHashMap<>();
        for (Map.Entry<Path, Fingerprint> e : present.entrySet()) {
            Path zip = e.getKey();
            Fingerprint fp = e.getValue();
            boolean current = loaded.values().stream().anyMatch(l -> l.zip.equals(zip) && l.fingerprint.equals(fp));
            NotLoaded seen = notLoaded.get(zip);
            if (current || (seen != null && seen.fingerprint.equals(fp))) {
                continue;
            }
            try {
                Descriptor d = readDescriptor(zip);
                candidates.computeIfAbsent(d.id, k -> new ArrayList<>()).add(Map.entry(zip, d));
            } catch (PluginLoadException ex) {
                fail(zip, fp, fileId(zip), "?", ex.getMessage(), failed);
            }
        }
        for (Map.Entry<String, List<Map.Entry<Path, Descriptor>>> c : candidates.entrySet()) {
            String id = c.getKey();
            List<Map.Entry<Path, Descriptor>> zips = new ArrayList<>(c.getValue());
            zips.sort(Comparator.comparing((Map.Entry<Path, Descriptor> e) -> e.getValue().version,
                    (a, b) -> manager.getVersionManager().compareVersions(a, b)).reversed());
            Map.Entry<Path, Descriptor> chosen = zips.get(0);
            for (Map.Entry<Path, Descriptor> other : zips.subList(1, zips.size())) {
                supersede(other.getKey(), present.get(other.getKey()), other.getValue(), chosen.getKey());
            }
            Loaded old = loaded.get(id);
            if (old != null) {
                unload(old);
                if (present.containsKey(old.zip) && !old.zip.equals(chosen.getKey())) {
                    supersede(old.zip, present.get(old.zip), new Descriptor(old.id, old.version), chosen.getKey());
                }
            }
            Path zip = chosen.getKey();
            try {
                Loaded l = load(zip, present.get(zip), chosen.getValue());
                loaded.put(id, l);
                (old != null ? replaced : added).add(id);
                LOG.log(Level.INFO, "plugin {0} {1} {2} from {3}: names {4}", id, l.version,
                        old != null ? "replaced " + old.version : "loaded", zip.getFileName(), names(l));
                listener.afterLoad(id);
            } catch (PluginLoadException ex) {
                fail(zip, present.get(zip), id, chosen.getValue().version, ex.getMessage(), failed);
                if (old != null) {
                    unloaded.add(id);
                }
            }
        }
        for (Loaded l : List.copyOf(loaded.values())) {
            if (!present.containsKey(l.zip)) {
                unload(l);
                unloaded.add(l.id);
                LOG.log(Level.INFO, "plugin {0} {1} unloaded: {2} was removed", l.id, l.version, l.zip.getFileName());
            }
        }
        return new ReloadReport(added, replaced, unloaded, failed);
    }

    private void fail(Path zip, Fingerprint fp, String id, String version, String message, List<String> failed) {
        notLoaded.put(zip, new NotLoaded(fp, new PluginStatus(id, version, zip.getFileName().toString(), "failed",
                List.of(), Optional.of(message))));
        failed.add(zip.getFileName() + ": " + message);
        LOG.log(Level.WARNING, "plugin {0} not loaded: {1}", zip.getFileName(), message);
    }

    private void supersede(Path zip, Fingerprint fp, Descriptor d, Path by) {
        notLoaded.put(zip, new NotLoaded(fp, new PluginStatus(d.id, d.version, zip.getFileName().toString(),
                "superseded", List.of(), Optional.of("a newer zip with the same plugin id is loaded: " + by.getFileName()))));
    }

    private Map<Path, Fingerprint> scan() {
        Map<Path, Fingerprint> out = new TreeMap<>();
        if (!Files.isDirectory(pluginsDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(pluginsDir, "*.zip")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    try {
                        out.put(p, new Fingerprint(Files.size(p), Files.getLastModifiedTime(p)));
                    } catch (IOException e) {
                        // vanished while we looked: the next scan will tell
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list plugins directory {0}: {1}", pluginsDir, e.getMessage());
        }
        return out;
    }

    private static Descriptor readDescriptor(Path zip) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry e = z.getEntry("plugin.properties");
            if (e == null) {
                throw new PluginLoadException("not a plugin zip: no plugin.properties at its root");
            }
            Properties p = new Properties();
            try (InputStream in = z.getInputStream(e)) {
                p.load(in);
            }
            String id = p.getProperty("plugin.id", "").trim();
            String version = p.getProperty("plugin.version", "").trim();
            if (id.isEmpty() || version.isEmpty()) {
                throw new PluginLoadException("plugin.properties must set plugin.id and plugin.version");
            }
            return new Descriptor(id, version);
        } catch (IOException e) {
            throw new PluginLoadException("cannot read the zip (" + e.getMessage() + "); is it still being copied?");
        }
    }

    private Loaded load(Path zip, Fingerprint fp, Descriptor d) {
        String base = zip.getFileName().toString().replaceFirst("\\.zip$", "");
        Path dir = workDir.resolve(base + ".g" + (++generation));
        try {
            expand(zip, dir);
        } catch (IOException e) {
            deleteTree(dir);
            throw new PluginLoadException("cannot expand: " + e.getMessage());
        }
        String id;
        try {
            id = manager.loadPlugin(dir);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw new PluginLoadException("PF4J refused it: " + PluginInvoker.describe(e));
        }
        if (id == null) {
            deleteTree(dir);
            throw new PluginLoadException("PF4J refused it (see the log above)");
        }
        PluginWrapper w = manager.getPlugin(id);
        ClassLoader loader = w.getPluginClassLoader();
        try (PluginInvoker invoker = new PluginInvoker("plugin-" + id, loader, 2)) {
            if (loader instanceof URLClassLoader u && u.findResource(API_MARKER) != null) {
                throw new PluginLoadException("it bundles its own copy of the plugin API (dev.llmhub.api); declare "
                        + "llmhub-plugin-api with <scope>provided</scope> so it is left out of the zip");
            }
            PluginInvoker.Outcome<PluginState> started = invoker.call("start", PLUGIN_CALL_TIMEOUT, () -> manager.startPlugin(id));
            if (started instanceof PluginInvoker.Outcome.Failed<PluginState> f) {
                throw new PluginLoadException("start failed: " + f.message());
            }
            if (w.getPluginState() != PluginState.STARTED) {
                Throwable t = w.getFailedException();
                throw new PluginLoadException("start failed" + (t == null ? "" : ": " + PluginInvoker.describe(t)));
            }
            PluginInvoker.Outcome<List<ExtensionRef>> found = invoker.call("discover extensions", PLUGIN_CALL_TIMEOUT,
                    () -> discover(id, w.getDescriptor().getVersion(), loader));
            if (found instanceof PluginInvoker.Outcome.Failed<List<ExtensionRef>> f) {
                throw f.error() instanceof PluginLoadException ple ? ple
                        : new PluginLoadException("its extensions cannot be created: " + f.message());
            }
            List<ExtensionRef> extensions = ((PluginInvoker.Outcome.Ok<List<ExtensionRef>>) found).value();
            return new Loaded(id, w.getDescriptor().getVersion(), zip, fp, dir, extensions, loader);
        } catch (PluginLoadException e) {
            stopAndUnload(id);
            deleteTree(dir);
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
        List<ExtensionRef> out = new ArrayList<>();
        for (Found f : found) {
            if (f.name == null || f.name.isBlank()) {
                throw new PluginLoadException(f.factory.getClass().getName() + ".name() is blank");
            }
            if (!seen.add(f.name)) {
                throw new PluginLoadException("two extensions are named '" + f.name + "'");
            }
        }
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

    private void unload(Loaded l) {
        try {
            listener.beforeUnload(l.id);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "releasing plugin {0} failed: {1}", l.id, e.getMessage());
        }
        loaded.remove(l.id);
        stopAndUnload(l.id);
        deleteTree(l.expanded);
    }

    private void stopAndUnload(String id) {
        PluginWrapper w = manager.getPlugin(id);
        if (w == null) {
            return;
        }
        try (PluginInvoker invoker = new PluginInvoker("plugin-" + id, w.getPluginClassLoader(), 1)) {
            PluginInvoker.Outcome<Boolean> o = invoker.call("stop", PLUGIN_CALL_TIMEOUT, () -> manager.unloadPlugin(id));
            if (o instanceof PluginInvoker.Outcome.Failed<Boolean> f) {
                LOG.log(Level.WARNING, "plugin {0} did not stop cleanly: {1}", id, f.message());
                // PF4J may not have released it: make sure it is gone from the manager.
                try {
                    manager.unloadPlugin(id);
                } catch (RuntimeException ignored) {
                    // already unloaded
                }
            }
        }
    }

    /**
     * Finds who offers a configured name: {@code <plugin-id>} or {@code <plugin-id>.<name>}.
     *
     * @param name the configured name
     * @return the extension, if a loaded plugin offers it
     * @throws ConfigException when two plugins offer the same name
     */
    public synchronized Optional<ExtensionRef> resolve(String name) {
        List<ExtensionRef> matches = new ArrayList<>();
        for (Loaded l : loaded.values()) {
            for (ExtensionRef e : l.extensions) {
                if (e.names().contains(name)) {
                    matches.add(e);
                }
            }
        }
        if (matches.size() > 1) {
            throw new ConfigException("callback name '" + name + "' is offered by several plugins: " + matches
                    + "; remove one of the zips from " + pluginsDir);
        }
        return matches.stream().findFirst();
    }

    /** @return every plugin zip: loaded, failed or superseded */
    public synchronized List<PluginStatus> plugins() {
        List<PluginStatus> out = new ArrayList<>();
        for (Loaded l : loaded.values()) {
            out.add(new PluginStatus(l.id, l.version, l.zip.getFileName().toString(), "started", names(l), Optional.empty()));
        }
        notLoaded.values().forEach(n -> out.add(n.status()));
        return out;
    }

    /** @return one line per installed plugin with its names, for error messages */
    public synchronized String describeInstalled() {
        if (loaded.isEmpty() && notLoaded.isEmpty()) {
            return "no plugins are installed in " + pluginsDir;
        }
        StringBuilder sb = new StringBuilder("installed plugins in " + pluginsDir + ":");
        for (Loaded l : loaded.values()) {
            sb.append("\n  ").append(l.id).append(' ').append(l.version).append(" (").append(l.zip.getFileName())
                    .append("): ").append(String.join(", ", names(l)));
        }
        for (NotLoaded n : notLoaded.values()) {
            PluginStatus s = n.status();
            sb.append("\n  ").append(s.file()).append(": ").append(s.state()).append(" - ").append(s.error().orElse(""));
        }
        return sb.toString();
    }

    /** @param pluginId a loaded plugin @return its class loader (tests prove it is collected after unload) */
    public synchronized Optional<ClassLoader> classLoader(String pluginId) {
        return Optional.ofNullable(loaded.get(pluginId)).map(l -> l.loader);
    }

    /** @param pluginId a plugin id @return its extensions, when loaded */
    public synchronized List<ExtensionRef> extensions(String pluginId) {
        Loaded l = loaded.get(pluginId);
        return l == null ? List.of() : l.extensions;
    }

    private static List<String> names(Loaded l) {
        return l.extensions.stream().flatMap(e -> e.names().stream()).toList();
    }

    /** Stops watching, unloads every plugin (after the listener released it) and deletes the work directory. */
    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
        for (Loaded l : List.copyOf(loaded.values())) {
            unload(l);
        }
        deleteTree(workDir);
    }

    private static String fileId(Path zip) {
        return zip.getFileName().toString().replaceFirst("\\.zip$", "");
    }

    private static void expand(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry '" + e.getName() + "' points outside the plugin folder");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = z.getInputStream(e)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot delete {0}: {1}", dir, e.getMessage());
        }
    }

    /** A zip that cannot become a running plugin; the message says why, in one line. */
    static final class PluginLoadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PluginLoadException(String message) {
            super(message);
        }
    }

    /** PF4J with our class loading rule and without its own zip handling (the host expands zips). */
    private static final class HostPluginManager extends DefaultPluginManager {
        HostPluginManager(Path root) {
            super(root);
        }

        @Override
        protected PluginLoader createPluginLoader() {
            ClassLoader host = PluginHost.class.getClassLoader();
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
