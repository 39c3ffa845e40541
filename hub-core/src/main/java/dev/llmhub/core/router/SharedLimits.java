package dev.llmhub.core.router;

import dev.llmhub.core.config.RedisSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the router counts beyond this replica: nowhere (no Redis configured) or the Redis of
 * {@code router_settings}. One per gateway, handed from router to router across config reloads, so
 * deployments and metrics keep pointing at it; a reload that changes the Redis settings swaps the
 * client inside. Every method answers at once when Redis is absent or down: the caller then counts
 * locally.
 * <p>
 * Metrics: {@code llmhub_router_shared_state_up} (1 shared, 0 Redis configured but unreachable, absent
 * or NaN without Redis), {@code llmhub_router_shared_state_fallbacks_total} (checks counted locally
 * because Redis was unreachable) and {@code llmhub_router_shared_state_waits_total} (picks that waited
 * for a round trip to Redis: near a limit, or before a deployment's first settle).
 */
final class SharedLimits implements AutoCloseable {
    /**
     * A pick decided in Redis.
     *
     * @param chosen     the deployment that got a slot, or null
     * @param retryIn    when none did, how long until the first slot frees
     * @param allCooling when none did, whether every candidate is cooling down
     */
    record Pick(Deployment chosen, Duration retryIn, boolean allCooling) {
    }

    private final MeterRegistry registry;
    private final Duration leaseTtl;
    private volatile RedisLimits redis;
    private Counter fallbacks;
    private Counter waits;

    SharedLimits(MeterRegistry registry) {
        this(registry, RedisLimits.LEASE_TTL);
    }

    /** @param leaseTtl how long a lease outlives its replica's last settle (tests shorten or lengthen it) */
    SharedLimits(MeterRegistry registry, Duration leaseTtl) {
        this.registry = Objects.requireNonNull(registry, "registry is null");
        this.leaseTtl = Objects.requireNonNull(leaseTtl, "leaseTtl is null");
    }

    /**
     * Uses these settings from now on; the same settings as now change nothing (the connection stays).
     *
     * @param settings {@code router_settings}' Redis, or empty for local counting only
     */
    synchronized void configure(Optional<RedisSettings> settings) {
        RedisLimits old = redis;
        if (old != null && settings.isPresent() && old.settings().equals(settings.get())) {
            return;
        }
        if (settings.isPresent() && fallbacks == null) {
            Gauge.builder("llmhub.router.shared.state.up", this, SharedLimits::upValue)
                    .description("1 when rpm/tpm limits and cooldowns are counted in Redis with every replica, "
                            + "0 when Redis is configured but unreachable and this replica counts alone")
                    .register(registry);
            fallbacks = Counter.builder("llmhub.router.shared.state.fallbacks")
                    .description("Routing checks counted on this replica alone because Redis was unreachable")
                    .register(registry);
            waits = Counter.builder("llmhub.router.shared.state.waits")
                    .description("Picks that waited for a round trip to Redis: near an rpm/tpm limit, or before this "
                            + "replica's first settle of the deployment")
                    .register(registry);
        }
        redis = settings.map(s -> new RedisLimits(s, leaseTtl)).orElse(null);
        if (old != null) {
            old.close(); // calls still using it see it closed and count locally, silently
        }
    }

    private double upValue() {
        RedisLimits r = redis;
        return r == null ? Double.NaN : r.up() ? 1 : 0;
    }

    /** @return whether checks are shared right now */
    boolean up() {
        RedisLimits r = redis;
        return r != null && r.up();
    }

    /**
     * Decides here when this replica's view of every candidate it gets to allows it (a lease slot free, no
     * tpm reached, cooling as of the last settle), else in Redis.
     *
     * @param candidates in the order to try them
     * @return the decision, or empty: count locally
     */
    Optional<Pick> pick(List<Deployment> candidates) {
        RedisLimits r = redis;
        if (r == null) {
            return Optional.empty();
        }
        if (!r.up()) {
            fallbacks.increment();
            return Optional.empty();
        }
        long now = System.nanoTime();
        long soonest = Long.MAX_VALUE;
        boolean ask = false;
        for (Deployment d : candidates) {
            SharedView v = r.view(d);
            SharedView.Decision decision = v.tryTake(d, now);
            r.used(); // after deciding: a woken settle must not lease a brand-new view a slot before its first pick asked Redis
            if (decision == SharedView.Decision.TAKEN) {
                return Optional.of(new Pick(d, Duration.ZERO, false));
            }
            if (decision == SharedView.Decision.ASK) {
                ask = true;
                break;
            }
            soonest = Math.min(soonest, v.coolingNanos(now));
        }
        if (!ask) {
            return Optional.of(new Pick(null, Duration.ofNanos(soonest), true));
        }
        waits.increment();
        Optional<RedisLimits.PickReply> reply = r.pick(candidates);
        if (reply.isEmpty()) {
            fallbacks.increment();
            return Optional.empty();
        }
        RedisLimits.PickReply p = reply.get();
        return Optional.of(new Pick(p.chosen() >= 0 ? candidates.get(p.chosen()) : null,
                Duration.ofMillis(p.waitMillis()), p.allCooling()));
    }

    /** @return whether the current Redis client's settle loop waits as an idle replica's does (tests wait on it) */
    boolean dozing() {
        RedisLimits r = redis;
        return r != null && r.dozing();
    }

    /** @return settles answered so far by the current Redis client (tests wait on it) */
    long settles() {
        RedisLimits r = redis;
        return r == null ? 0 : r.settles();
    }

    /**
     * Counts a failure in Redis too (the caller always counts it locally).
     *
     * @return whether it started a shared cooldown, or empty when not counted in Redis
     */
    Optional<Boolean> fail(Deployment d, int allowedFails, Duration cooldown) {
        RedisLimits r = redis;
        return r == null ? Optional.empty() : r.fail(d, allowedFails, cooldown);
    }

    /** Counts tokens in Redis too, with the next settle (the caller always counts them locally). */
    void tokens(Deployment d, long tokens) {
        RedisLimits r = redis;
        if (r != null) {
            r.tokens(d, tokens);
        }
    }

    @Override
    public synchronized void close() {
        RedisLimits r = redis;
        redis = null;
        if (r != null) {
            r.close();
        }
    }
}
