package dev.llmhub.core.hub;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.core.config.ConfigException;
import dev.llmhub.core.config.ConfigLoader;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.config.JournalSettings;
import dev.llmhub.core.delivery.ApplyReport;
import dev.llmhub.core.delivery.Delivery;
import dev.llmhub.core.gateway.Gateway;
import dev.llmhub.core.journal.Journal;
import dev.llmhub.core.plugin.PluginHost;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The running proxy without its HTTP server: the config, the journal, the plugin host, the delivery
 * lanes and the gateway, started in that order and stopped in the reverse one. Also the one place a
 * config reload goes through — the file watcher, {@code SIGHUP} and {@code POST /admin/config/reload}
 * all call {@link #reload}: the new file is read and validated completely, then applied (delivery
 * first, whose validation can fail, then routing); a file that fails changes nothing.
 */
public final class Hub implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Hub.class.getName());

    /**
     * How to start.
     *
     * @param configFile  {@code --config}
     * @param pluginsDir  {@code --plugins-dir}
     * @param dataDir     {@code --data-dir}, when given
     * @param home        the distribution's home, when run from one
     * @param environment the process environment ({@code os.environ/}, {@code LLMHUB_DATA_DIR})
     */
    public record Options(Path configFile, Path pluginsDir, Optional<Path> dataDir, Optional<Path> home,
                          Map<String, String> environment) {
        public Options {
            Objects.requireNonNull(configFile, "configFile is null");
            Objects.requireNonNull(pluginsDir, "pluginsDir is null");
            Objects.requireNonNull(dataDir, "dataDir is null");
            Objects.requireNonNull(home, "home is null");
            environment = Map.copyOf(environment);
        }
    }

    private final Options options;
    private final DataDirectory dataDir;
    private final Journal<CallRecord> journal;
    private final PluginHost plugins;
    private final Delivery delivery;
    private final Gateway gateway;
    private volatile HubConfig config;
    private volatile ReloadResult lastReload;
    private ConfigWatcher watcher;

    private Hub(Options options, DataDirectory dataDir, Journal<CallRecord> journal, PluginHost plugins,
                Delivery delivery, Gateway gateway, HubConfig config) {
        this.options = options;
        this.dataDir = dataDir;
        this.journal = journal;
        this.plugins = plugins;
        this.delivery = delivery;
        this.gateway = gateway;
        this.config = config;
        this.lastReload = new ReloadResult(Instant.now(), "start", true, Optional.empty(), List.of(), List.of());
    }

    /**
     * Starts everything but the HTTP server.
     *
     * @throws ConfigException when the config, a destination name or a plugin's settings are wrong
     */
    public static Hub start(Options options, MeterRegistry registry, ProxyInfo proxy) {
        HubConfig config = new ConfigLoader(options.environment()).load(options.configFile());
        JournalSettings js = config.general().journal();
        DataDirectory dataDir = DataDirectory.choose(options.dataDir(),
                Optional.ofNullable(options.environment().get("LLMHUB_DATA_DIR")), js.dataDir(), options.home());
        Journal<CallRecord> journal = Journals.open(js, dataDir, registry);
        PluginHost plugins = null;
        Delivery delivery = null;
        FutureTask<Void> lanes = null;
        Gateway gateway = null;
        try {
            plugins = new PluginHost(options.pluginsDir(), expandedPlugins(dataDir));
            delivery = Delivery.create(journal, js.survivesStop(), plugins, registry, proxy.version());
            // Loading the plugins and building the request path (providers' web clients, the price
            // table, metrics) need nothing from each other: on two cores, together they take less time.
            lanes = new FutureTask<>(startLanes(plugins, delivery, config), null);
            Thread.ofPlatform().name("llmhub-start-plugins").start(lanes);
            gateway = new Gateway(config, delivery.sink(), proxy, registry);
            join(lanes);
            plugins.watch();
            return new Hub(options, dataDir, journal, plugins, delivery, gateway, config);
        } catch (RuntimeException e) {
            if (lanes != null) {
                try {
                    join(lanes); // never close what the other thread is still starting
                } catch (RuntimeException | Error ignored) {
                    // e says what went wrong first
                }
            }
            if (gateway != null) {
                gateway.close();
            }
            if (delivery != null) {
                delivery.close();
            }
            if (plugins != null) {
                plugins.close();
            }
            journal.close();
            throw e;
        }
    }

    /**
     * Where expanded plugin zips stay between starts: {@code expanded-plugins/} in the data directory,
     * created for it when the journal does not live there (durability memory, a Kafka journal).
     */
    private static Optional<Path> expandedPlugins(DataDirectory dataDir) {
        try {
            dataDir.create();
            return Optional.of(dataDir.path().resolve("expanded-plugins"));
        } catch (UncheckedIOException e) {
            LOG.log(Level.WARNING, "{0}: plugins are expanded again at every start", e.getMessage());
            return Optional.empty();
        }
    }

    private static Runnable startLanes(PluginHost plugins, Delivery delivery, HubConfig config) {
        return () -> {
            plugins.loadFor(Delivery.names(config.delivery()));
            delivery.startLanes(config.delivery());
        };
    }

    /** Waits for a start-up task; what it threw is thrown here, as if it had run on this thread. */
    private static void join(FutureTask<Void> task) {
        boolean interrupted = false;
        while (true) {
            try {
                task.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // start-up finishes first; the interrupt stays set for the caller
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reloads when the config file changes. */
    public synchronized void watchConfig() {
        if (watcher != null) {
            return;
        }
        try {
            watcher = new ConfigWatcher(options.configFile(), () -> reload("file change"));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot watch {0} for changes ({1}); reload with SIGHUP or POST /admin/config/reload",
                    options.configFile(), e.getMessage());
        }
    }

    /**
     * Reads the config file again and applies it, or keeps the running config and says why not.
     *
     * @param trigger what asked, for the log and the admin API
     * @return what happened (also kept as {@link #lastReload()})
     */
    public synchronized ReloadResult reload(String trigger) {
        ConfigWatcher w = watcher;
        if (w != null) {
            w.seen();
        }
        HubConfig next;
        try {
            next = new ConfigLoader(options.environment()).load(options.configFile());
        } catch (ConfigException e) {
            return refused(trigger, e.getMessage());
        }
        List<String> warnings = new ArrayList<>();
        JournalSettings before = config.general().journal();
        JournalSettings after = next.general().journal();
        if (!before.equals(after)) {
            warnings.add("general_settings: data_dir, durability, fsync_interval and journal.* take effect at the next "
                    + "restart; the journal keeps running with the settings it started with");
        }
        ApplyReport report;
        try {
            plugins.loadFor(Delivery.names(next.delivery()));
            report = delivery.apply(next.delivery());
        } catch (ConfigException e) {
            return refused(trigger, options.configFile() + ": " + e.getMessage());
        }
        gateway.apply(next);
        List<String> changes = new ArrayList<>();
        report.added().forEach(n -> changes.add("destination added: " + n));
        report.removed().forEach(n -> changes.add("destination removed: " + n));
        report.rebuilt().forEach(n -> changes.add("destination re-tuned: " + n));
        if (!next.deployments().equals(config.deployments())) {
            changes.add("model_list: " + next.modelNames().size() + " model name(s), " + next.deployments().size()
                    + " deployment(s)");
        }
        if (!next.router().equals(config.router())) {
            changes.add("router_settings changed");
        }
        if (!next.general().masterKey().equals(config.general().masterKey())) {
            changes.add("master key changed");
        }
        config = next;
        ReloadResult r = new ReloadResult(Instant.now(), trigger, true, Optional.empty(), changes, warnings);
        lastReload = r;
        LOG.log(Level.INFO, "config reloaded ({0}) from {1}: {2}", trigger, options.configFile(),
                changes.isEmpty() ? "nothing changed" : String.join("; ", changes));
        warnings.forEach(m -> LOG.log(Level.WARNING, "config reload: {0}", m));
        return r;
    }

    private ReloadResult refused(String trigger, String why) {
        ReloadResult r = new ReloadResult(Instant.now(), trigger, false, Optional.of(why), List.of(), List.of());
        lastReload = r;
        LOG.log(Level.WARNING, "config reload ({0}) refused, the running config stays: {1}", trigger, why);
        return r;
    }

    /** @return the running config */
    public HubConfig config() {
        return config;
    }

    /** @return the last reload's outcome ({@code start} before any) */
    public ReloadResult lastReload() {
        return lastReload;
    }

    public Gateway gateway() {
        return gateway;
    }

    public Delivery delivery() {
        return delivery;
    }

    public PluginHost plugins() {
        return plugins;
    }

    public Journal<CallRecord> journal() {
        return journal;
    }

    /** @return where the journal lives and what chose it */
    public DataDirectory dataDir() {
        return dataDir;
    }

    /** Stops in reverse order: the watcher, the gateway, the lanes (saying what stays), plugins, journal. */
    @Override
    public void close() {
        synchronized (this) {
            if (watcher != null) {
                watcher.close();
                watcher = null;
            }
        }
        gateway.close();
        delivery.close();
        plugins.close();
        journal.close();
    }
}
