package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.core.config.ConfigException;
import dev.llmhub.core.config.DeliveryConfig;
import dev.llmhub.core.journal.Journal;
import dev.llmhub.core.plugin.ExtensionRef;
import dev.llmhub.core.plugin.PluginHost;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The running delivery side: one {@link Lane} per enabled name, each reading the journal from its own
 * cursor, built from the config and rebuilt when the config changes ({@link #apply}); plugins come and
 * go under the lanes ({@link HotSwap}).
 *
 * <p>{@link #apply} validates first — every name resolves, every new or changed lane's plugin accepts
 * its settings — and only then swaps: a config that fails changes nothing.
 */
public final class Delivery implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());

    private final Journal<CallRecord> journal;
    private final boolean journalOnDisk;
    private final PluginHost host;
    private final MeterRegistry registry;
    private final InstanceFactory instances;
    private final RecordPublisher publisher;
    private final HotSwap hotSwap;
    /** Serializes config changes, hot swaps and stop; never held by the request path. */
    private final Object lock = new Object();
    private volatile Map<String, Lane> lanes = Map.of();
    /** Counts what the journal dropped for each lane every second, even for a lane that is not reading. */
    private final java.util.concurrent.ScheduledExecutorService housekeeping =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("llmhub-lane-housekeeping").unstarted(r));
    private Map<String, LaneSpec> specs = Map.of();
    private RedactionPolicy policy;
    private boolean closed;

    private Delivery(Journal<CallRecord> journal, boolean journalOnDisk, PluginHost host, MeterRegistry registry,
                     String proxyVersion) {
        this.journal = journal;
        this.journalOnDisk = journalOnDisk;
        this.host = host;
        this.registry = registry;
        this.instances = new InstanceFactory(registry, proxyVersion);
        this.policy = new RedactionPolicy(List.of(), true);
        this.publisher = new RecordPublisher(journal, policy, registry);
        this.hotSwap = new HotSwap(this);
        housekeeping.scheduleWithFixedDelay(() -> lanes.values().forEach(Lane::refresh), 1, 1,
                java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * Starts the lanes the config enables on a host whose plugins are loaded.
     *
     * @param config        what to enable
     * @param journal       where records wait for their destinations
     * @param journalOnDisk whether undelivered records survive a stop (else a stop drains lanes first)
     * @param host          the plugin host, already reloaded once
     * @param registry      where lane metrics go
     * @param proxyVersion  llmhub's version, for plugin contexts
     * @return the running delivery side
     * @throws ConfigException when a name is unknown or a plugin rejects its settings
     */
    public static Delivery start(DeliveryConfig config, Journal<CallRecord> journal, boolean journalOnDisk,
                                 PluginHost host, MeterRegistry registry, String proxyVersion) {
        Delivery d = create(journal, journalOnDisk, host, registry, proxyVersion);
        d.startLanes(config);
        return d;
    }

    /**
     * The delivery side without lanes yet: its {@link #sink()} exists, so the request path can be built
     * while the plugins load; nothing may be published before {@link #startLanes} returns (a new
     * destination's cursor starts at the head then).
     */
    public static Delivery create(Journal<CallRecord> journal, boolean journalOnDisk, PluginHost host,
                                  MeterRegistry registry, String proxyVersion) {
        return new Delivery(journal, journalOnDisk, host, registry, proxyVersion);
    }

    /**
     * Starts the lanes {@code config} enables, once the host's plugins are loaded, and follows the host's
     * plugin changes from then on.
     *
     * @throws ConfigException when a name is unknown or a plugin rejects its settings
     */
    public void startLanes(DeliveryConfig config) {
        apply(config);
        host.setListener(hotSwap);
    }

    /** @return where the request path hands records and events */
    public CallSink sink() {
        return publisher;
    }

    /**
     * Brings the lanes in line with {@code config}: new names get a lane (a new cursor at the head, or
     * at the oldest record with {@code start_from: earliest}; an old cursor resumes), removed names stop
     * (their cursors are kept), changed ones are rebuilt. Records wait in the journal meanwhile.
     *
     * @throws ConfigException (changing nothing) when a name is unknown or a plugin rejects its settings
     */
    public ApplyReport apply(DeliveryConfig config) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("delivery is stopped");
            }
            Map<String, Subscription> wanted = subscriptions(config);
            Map<String, ExtensionRef> refs = new LinkedHashMap<>();
            for (String name : wanted.keySet()) {
                ExtensionRef ref = host.resolve(name).orElseThrow(() -> new ConfigException(
                        "litellm_settings: unknown callback '" + name + "'. A name is <plugin-id> or "
                                + "<plugin-id>.<name>; " + host.describeInstalled()));
                refs.put(name, ref);
            }
            Map<String, LaneSpec> nextSpecs = new LinkedHashMap<>();
            refs.forEach((name, ref) -> {
                LaneKind kind = ref.kind() == ExtensionRef.Kind.HANDLER ? LaneKind.HANDLER : LaneKind.DESTINATION;
                Subscription sub = wanted.get(name);
                if (kind == LaneKind.DESTINATION) {
                    sub = new Subscription(sub.success(), sub.failure(), false);
                }
                nextSpecs.put(name, new LaneSpec(name, kind, sub, LaneSettings.of(kind, config.tuningOf(name)),
                        config.settingsOf(name), config.environmentDefaults()));
            });
            // Validate: create every new or changed lane's instance before touching a running lane.
            Map<String, Binding> created = new LinkedHashMap<>();
            try {
                for (LaneSpec spec : nextSpecs.values()) {
                    // A record's first equals links its method (~100 ms of a start on two busy cores, not
                    // in the AOT cache): at start there is nothing to compare with.
                    LaneSpec running = specs.get(spec.name());
                    if (running == null || !spec.equals(running)) {
                        created.put(spec.name(), instances.create(spec, refs.get(spec.name())));
                    }
                }
            } catch (InstanceFactory.CreateException e) {
                created.forEach((name, b) -> ProviderSlot.close(name, b, Duration.ofSeconds(10)));
                throw new ConfigException(e.getMessage());
            }
            // Swap.
            RedactionPolicy nextPolicy = RedactionPolicy.of(config);
            publisher.policy(nextPolicy);
            policy = nextPolicy;
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            List<String> rebuilt = new ArrayList<>();
            Map<String, Lane> next = new LinkedHashMap<>();
            for (Map.Entry<String, Lane> e : lanes.entrySet()) {
                if (!nextSpecs.containsKey(e.getKey())) {
                    stopLane(e.getValue(), "removed from the config");
                    removed.add(e.getKey());
                }
            }
            for (LaneSpec spec : nextSpecs.values()) {
                Lane old = lanes.get(spec.name());
                Binding fresh = created.get(spec.name());
                if (fresh == null) {
                    next.put(spec.name(), old);
                    continue;
                }
                if (old != null) {
                    stopLane(old, "rebuilt with new settings");
                    rebuilt.add(spec.name());
                } else {
                    added.add(spec.name());
                }
                boolean newCursor = journal.cursors().stream().noneMatch(c -> c.name().equals(spec.name()));
                var reader = journal.open(spec.name(), spec.settings().startFrom());
                // a rebuilt lane goes on with the old one's per-record outcomes and last hour
                Lane lane = new Lane(spec.name(), spec.kind(), spec.settings(), spec.subscription(), reader, policy,
                        registry, old != null ? old.outcomes
                                : new OutcomeLog(reader.position(), newCursor, System.currentTimeMillis()),
                        old != null ? old.timeline : new LaneTimeline(Clock.systemUTC()));
                if (old != null && old.events != null && lane.events != null) {
                    old.events.drainTo(lane.events);
                }
                lane.bind(fresh);
                lane.start();
                next.put(spec.name(), lane);
            }
            lanes = java.util.Collections.unmodifiableMap(next);
            specs = nextSpecs;
            publisher.eventLanes(next.values().stream().filter(l -> l.subscription.events()).toArray(Lane[]::new));
            hotSwap.forget(removed);
            ApplyReport report = new ApplyReport(added, removed, rebuilt);
            if (report.changed()) {
                LOG.log(Level.INFO, "delivery: {0} lane(s) {1}; added {2}, removed {3}, rebuilt {4}", next.size(),
                        next.keySet(), added, removed, rebuilt);
            }
            return report;
        }
    }

    private void stopLane(Lane lane, String why) {
        long left = lane.stop(lane.settings.drainTimeout(), false);
        LOG.log(Level.INFO, "lane ''{0}'' stopped ({1}); {2} undelivered record(s) stay in the journal under its cursor",
                lane.name, why, left);
    }

    /** Which names the config enables, and what each receives. */
    /** @param config a delivery config @return the callback names it configures (what the plugins must offer) */
    public static Set<String> names(DeliveryConfig config) {
        return subscriptions(config).keySet();
    }

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

    // ---- hot swap (called by HotSwap under the same lock) ----

    Object lock() {
        return lock;
    }

    Map<String, Lane> lanesNow() {
        return lanes;
    }

    LaneSpec specOf(String name) {
        return specs.get(name);
    }

    PluginHost host() {
        return host;
    }

    InstanceFactory instances() {
        return instances;
    }

    // ---- views and controls (admin API, console) ----

    /** @return every lane's state, lag and counters */
    public List<LaneStatus> lanes() {
        return lanes.values().stream().map(Lane::status).toList();
    }

    /** @return why lanes could not get a plugin instance on the last try, by lane name */
    public Map<String, String> laneErrors() {
        return hotSwap.errors();
    }

    /**
     * Where one record stands in every lane: delivered at T, pending, retrying with the last reason,
     * failed with the reason, or not sent (the console's call page).
     *
     * @param offset the record's journal offset
     * @param status its status (a lane may take only successes or failures)
     * @return one answer per lane, in config order
     */
    public List<RecordDelivery> deliveryOf(long offset, CallStatus status) {
        return lanes.values().stream().map(l -> l.deliveryOf(offset, status)).toList();
    }

    /**
     * As {@link #deliveryOf}, the state alone and cheap enough to check for every record of a search.
     *
     * @return each lane's state for the record, by lane name, in config order
     */
    public Map<String, RecordDelivery.State> statesOf(long offset, CallStatus status) {
        Map<String, RecordDelivery.State> out = new LinkedHashMap<>();
        lanes.forEach((name, l) -> out.put(name, l.stateOf(offset, status)));
        return out;
    }

    /**
     * @param name a lane
     * @return its last hour, one bucket per minute, when the lane exists
     */
    public Optional<List<LaneTimeline.Minute>> timeline(String name) {
        return Optional.ofNullable(lanes.get(name)).map(l -> l.timeline.minutes());
    }

    /** @return the enabled names, for the startup banner */
    public List<String> names() {
        return List.copyOf(lanes.keySet());
    }

    /**
     * @param name a lane
     * @param on   pause (records stay in the journal) or resume
     * @return false when there is no such lane
     */
    public boolean pause(String name, boolean on) {
        Lane l = lanes.get(name);
        if (l == null) {
            return false;
        }
        l.pause(on);
        return true;
    }

    /**
     * Moves a lane's cursor back to the first record appended at or after {@code from}: it delivers
     * them again (destinations dedupe by record id).
     *
     * @return the offset the lane now reads from, when the lane exists
     */
    public Optional<Long> replay(String name, Instant from) {
        Lane l = lanes.get(name);
        if (l == null) {
            return Optional.empty();
        }
        long offset = journal.offsetAt(from);
        l.seek(offset);
        return Optional.of(offset);
    }

    /**
     * Stops every lane. On a journal on disk undelivered records simply stay for the next start; with
     * {@code durability: memory} each lane first delivers what it can within {@code drain_timeout} and
     * the rest is counted as dropped. Says per lane how many records are left.
     */
    @Override
    public void close() {
        Map<String, Lane> toStop;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = lanes;
            lanes = Map.of();
            publisher.eventLanes(new Lane[0]);
        }
        host.setListener(null);
        housekeeping.shutdownNow();
        List<Thread> stoppers = new ArrayList<>();
        for (Lane l : toStop.values()) {
            stoppers.add(Thread.ofPlatform().name("llmhub-stop-" + l.name).start(() -> {
                long left = l.stop(l.settings.drainTimeout(), !journalOnDisk);
                if (left == 0) {
                    LOG.log(Level.INFO, "lane ''{0}'': everything delivered", l.name);
                } else if (journalOnDisk) {
                    LOG.log(Level.INFO, "lane ''{0}'': {1} record(s) stay in the journal for the next start", l.name, left);
                } else {
                    LOG.log(Level.WARNING, "lane ''{0}'': {1} record(s) lost at stop (durability: memory)", l.name, left);
                }
            }));
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
