package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallbackHandlerFactory;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.PluginConfigException;
import dev.llmhub.api.PluginSettings;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.core.config.ConfigException;
import dev.llmhub.core.plugin.ExtensionRef;
import dev.llmhub.core.plugin.HubPluginContext;
import dev.llmhub.core.plugin.PluginHost;
import dev.llmhub.core.plugin.PluginInvoker;
import dev.llmhub.core.plugin.PluginStatus;
import dev.llmhub.core.plugin.ReloadReport;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running delivery side of the proxy: the plugin host, one {@link Lane} per enabled name, and
 * redaction. The request path calls the {@link CallSink} methods, which only append to lane queues.
 *
 * <p>Lanes are fixed at start (one per name in {@code callbacks}, {@code success_callback},
 * {@code failure_callback}, plus {@code otel} when {@code general_settings.otel: true}); plugins
 * come and go under them (hot reload): a lane whose plugin is gone holds its records until a
 * plugin offering its name is loaded again.
 */
public final class DeliveryRuntime implements CallSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DeliveryRuntime.class.getName());
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

    private final DeliveryConfig config;
    private final PluginHost host;
    private final MeterRegistry registry;
    private final ProxyInfo proxy;
    private final Map<String, Lane> lanes;
    private final Lane[] successLanes;
    private final Lane[] failureLanes;
    private final Lane[] eventLanes;
    private final Map<String, String> bindErrors = new LinkedHashMap<>();
    private volatile boolean closed;

    private DeliveryRuntime(DeliveryConfig config, PluginHost host, MeterRegistry registry, ProxyInfo proxy,
                            Map<String, Lane> lanes) {
        this.config = config;
        this.host = host;
        this.registry = registry;
        this.proxy = proxy;
        this.lanes = lanes;
        this.successLanes = lanes.values().stream().filter(l -> l.subscription().success()).toArray(Lane[]::new);
        this.failureLanes = lanes.values().stream().filter(l -> l.subscription().failure()).toArray(Lane[]::new);
        this.eventLanes = lanes.values().stream().filter(l -> l.subscription().events()).toArray(Lane[]::new);
    }

    /**
     * Loads the plugins in {@code pluginsDir}, resolves the names the config enables and starts a lane
     * for each.
     *
     * @param config     what to enable and how
     * @param pluginsDir where the plugin zips are
     * @param registry   where lane metrics go
     * @param proxy      this proxy instance, for records and plugin contexts
     * @return the running runtime
     * @throws ConfigException when a name is unknown or a plugin rejects its settings
     */
    public static DeliveryRuntime start(DeliveryConfig config, Path pluginsDir, MeterRegistry registry, ProxyInfo proxy) {
        Map<String, Subscription> wanted = subscriptions(config);
        PluginHost host = new PluginHost(pluginsDir);
        Map<String, Lane> lanes = new LinkedHashMap<>();
        try {
            host.reload();
            RedactionPolicy redaction = RedactionPolicy.of(config);
            Map<String, ExtensionRef> refs = new LinkedHashMap<>();
            for (Map.Entry<String, Subscription> w : wanted.entrySet()) {
                ExtensionRef ref = host.resolve(w.getKey()).orElseThrow(() -> new ConfigException(
                        "litellm_settings: unknown callback '" + w.getKey() + "'. A name is <plugin-id> or "
                                + "<plugin-id>.<name>; " + host.describeInstalled()));
                refs.put(w.getKey(), ref);
            }
            for (Map.Entry<String, ExtensionRef> e : refs.entrySet()) {
                String name = e.getKey();
                ExtensionRef ref = e.getValue();
                Subscription sub = wanted.get(name);
                boolean handler = ref.kind() == ExtensionRef.Kind.HANDLER;
                PluginSettings ps = new PluginSettings("callback_settings." + name, settingsOf(config, name));
                LaneSettings ls;
                try {
                    ls = LaneSettings.from(name, ps, handler ? LaneSettings.HANDLER_DEFAULTS : LaneSettings.DESTINATION_DEFAULTS);
                } catch (PluginConfigException ex) {
                    throw new ConfigException(ex.getMessage());
                }
                Lane lane = handler
                        ? new HandlerLane(name, ls, sub, redaction, registry)
                        : new DeliveryLane(name, ls, new Subscription(sub.success(), sub.failure(), false), redaction, registry);
                lanes.put(name, lane);
            }
            DeliveryRuntime rt = new DeliveryRuntime(config, host, registry, proxy, lanes);
            for (Map.Entry<String, ExtensionRef> e : refs.entrySet()) {
                Lane lane = lanes.get(e.getKey());
                String error = rt.bind(lane, e.getValue());
                if (error != null) {
                    throw new ConfigException(error);
                }
            }
            host.setListener(rt.new HostListener());
            lanes.values().forEach(Lane::start);
            host.watch();
            LOG.log(Level.INFO, "delivery: {0} lane(s) {1}; plugins directory {2}", lanes.size(), lanes.keySet(),
                    host.pluginsDir());
            return rt;
        } catch (RuntimeException e) {
            long deadline = System.nanoTime();
            lanes.values().forEach(l -> {
                l.close(deadline);
                l.removeMetrics();
            });
            host.close();
            throw e;
        }
    }

    /** Which names the config enables, and what each receives. */
    static Map<String, Subscription> subscriptions(DeliveryConfig config) {
        Map<String, Subscription> out = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(config.callbacks());
        if (config.otel() && !all.contains("otel")) {
            all.add("otel");
        }
        all.forEach(n -> out.merge(n.trim(), new Subscription(true, true, true), Subscription::or));
        config.successCallbacks().forEach(n -> out.merge(n.trim(), new Subscription(true, false, false), Subscription::or));
        config.failureCallbacks().forEach(n -> out.merge(n.trim(), new Subscription(false, true, false), Subscription::or));
        out.remove("");
        return out;
    }

    private static Map<String, Object> settingsOf(DeliveryConfig config, String name) {
        Map<String, Object> s = config.callbackSettings().get(name);
        return s == null ? Map.of() : s;
    }

    /**
     * Creates the lane's plugin instance from {@code ref} and binds it.
     *
     * @return null when bound, else why not (one line, no secret)
     */
    private String bind(Lane lane, ExtensionRef ref) {
        String name = lane.name();
        HubPluginContext ctx = new HubPluginContext(name, ref.pluginId(), settingsOf(config, name),
                config.environmentDefaults(), registry, proxy.version());
        PluginInvoker invoker = new PluginInvoker(name, ref.loader(), 2 * lane.settings().maxConcurrentExports() + 1);
        boolean handlerLane = lane instanceof HandlerLane;
        if (handlerLane != (ref.kind() == ExtensionRef.Kind.HANDLER)) {
            invoker.close();
            return "callback '" + name + "' was a " + (handlerLane ? "callback handler" : "destination")
                    + " and is now offered by " + ref.pluginId() + " " + ref.pluginVersion() + " as a "
                    + (handlerLane ? "destination" : "callback handler") + "; restart the proxy to switch";
        }
        PluginInvoker.Outcome<AutoCloseable> o = invoker.call("create", CREATE_TIMEOUT, () -> handlerLane
                ? ((CallbackHandlerFactory) ref.factory()).create(ctx)
                : ((DestinationFactory) ref.factory()).create(ctx));
        switch (o) {
            case PluginInvoker.Outcome.Ok<AutoCloseable> ok when ok.value() != null -> {
                lane.bind(new Binding(ref.pluginId(), ref.pluginVersion(), ok.value(), invoker));
                synchronized (bindErrors) {
                    bindErrors.remove(name);
                }
                return null;
            }
            case PluginInvoker.Outcome.Ok<AutoCloseable> ok -> {
                invoker.close();
                return fail(name, "plugin " + ref.pluginId() + " returned no instance for '" + name + "'");
            }
            case PluginInvoker.Outcome.Failed<AutoCloseable> f -> {
                invoker.close();
                String why = f.error() instanceof PluginConfigException pce ? pce.getMessage()
                        : "plugin " + ref.pluginId() + " " + ref.pluginVersion() + " could not create '" + name + "': " + f.message();
                return fail(name, why);
            }
        }
    }

    private String fail(String name, String why) {
        synchronized (bindErrors) {
            bindErrors.put(name, why);
        }
        return why;
    }

    /** Hot reload: unbind before a plugin leaves, bind waiting lanes when one arrives. */
    private final class HostListener implements PluginHost.Listener {
        @Override
        public void beforeUnload(String pluginId) {
            for (Lane lane : lanes.values()) {
                if (lane.boundPlugin().filter(pluginId::equals).isPresent()) {
                    lane.unbind();
                    LOG.log(Level.INFO, "lane ''{0}'': plugin {1} leaving; holding records until a provider returns",
                            lane.name(), pluginId);
                }
            }
        }

        @Override
        public void afterLoad(String pluginId) {
            if (closed) {
                return;
            }
            for (Lane lane : lanes.values()) {
                if (lane.boundPlugin().isPresent()) {
                    continue;
                }
                Optional<ExtensionRef> ref;
                try {
                    ref = host.resolve(lane.name()).filter(r -> r.pluginId().equals(pluginId));
                } catch (ConfigException e) {
                    fail(lane.name(), e.getMessage());
                    continue;
                }
                ref.ifPresent(r -> {
                    String error = bind(lane, r);
                    if (error != null) {
                        LOG.log(Level.WARNING, "lane ''{0}'' still waiting: {1}", lane.name(), error);
                    } else {
                        LOG.log(Level.INFO, "lane ''{0}'': now served by {1} {2}", lane.name(), r.pluginId(), r.pluginVersion());
                    }
                });
            }
        }
    }

    /** @return the enabled destination names, for the startup banner */
    public List<String> destinationNames() {
        return List.copyOf(lanes.keySet());
    }

    /** @return every lane's state, queue depth and counters (admin API) */
    public List<LaneStatus> lanes() {
        return lanes.values().stream().map(Lane::status).toList();
    }

    /** @return every plugin zip and its state (admin API) */
    public List<PluginStatus> plugins() {
        return host.plugins();
    }

    /** @return why lanes could not get a provider on the last try, by lane name (admin API) */
    public Map<String, String> laneErrors() {
        synchronized (bindErrors) {
            return Map.copyOf(bindErrors);
        }
    }

    /** @return the plugin host (tests and admin) */
    public PluginHost host() {
        return host;
    }

    /** @return what a reload of the plugins directory did (admin {@code POST /plugins/reload}) */
    public ReloadReport reload() {
        return host.reload();
    }

    @Override
    public void preApiCall(PreApiCall event) {
        for (Lane l : eventLanes) {
            l.offer(event);
        }
    }

    @Override
    public void postApiCall(PostApiCall event) {
        for (Lane l : eventLanes) {
            l.offer(event);
        }
    }

    @Override
    public void streamChunk(StreamChunk chunk) {
        for (Lane l : eventLanes) {
            l.offer(chunk);
        }
    }

    @Override
    public void publish(CallRecord record) {
        for (Lane l : record.status() == CallStatus.SUCCESS ? successLanes : failureLanes) {
            l.offer(record);
        }
    }

    /** Stops accepting, drains every lane within its deadline, stops the plugins. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Thread> closers = new ArrayList<>();
        for (Lane l : lanes.values()) {
            long deadline = System.nanoTime() + l.settings().drainTimeout().toNanos();
            closers.add(Thread.ofPlatform().name("llmhub-close-" + l.name()).start(() -> l.close(deadline)));
        }
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        host.close();
        lanes.values().forEach(Lane::removeMetrics);
    }
}
