package dev.llmhub.core.router;

import dev.llmhub.core.config.DeploymentConfig;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.config.ProviderKind;
import dev.llmhub.core.config.RouterSettings;
import dev.llmhub.core.provider.HttpProvider;
import dev.llmhub.core.provider.MockProvider;
import dev.llmhub.core.provider.Provider;
import dev.llmhub.core.provider.UpstreamException;
import dev.llmhub.core.usage.TokenCounter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Routes a request for a {@code model_name} to one of its deployments and retries:
 * <ul>
 *   <li>pick: a shuffle weighted by each deployment's {@code rpm} (uniform when none sets one),
 *       skipping deployments that are cooling down or whose {@code rpm}/{@code tpm} window is full;
 *       when none is left the call fails at once with 429 and the time until one frees as
 *       Retry-After. With Redis configured, windows and cooldowns are counted with every replica, in
 *       one script run per pick; without it, or while it is unreachable, on this replica alone;</li>
 *   <li>cooldown: a deployment that fails (429, 401, 404, 408, 5xx, timeouts, connection errors) more
 *       than {@code allowed_fails} times within a minute is skipped for {@code cooldown_time} — never
 *       the only deployment of its group, whose failures then reach the client as they are;</li>
 *   <li>retry: on 429, 408/timeouts, 5xx and connection errors, up to {@code num_retries} more
 *       tries — a deployment not yet tried first, at once; the same one again only after an
 *       exponential backoff (at least {@code retry_after}, at least the upstream's Retry-After, at
 *       most {@code max_backoff}).</li>
 * </ul>
 */
public final class Router implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    private final Map<String, List<Deployment>> groups;
    private final RouterSettings settings;
    private final SharedLimits shared;

    /** Builds one provider (and so one pooled client) per deployment; shared-state metrics go nowhere. */
    public Router(HubConfig config, TokenCounter tokens) {
        this(config, tokens, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /**
     * Builds one provider (and so one pooled client) per deployment, and connects to Redis when
     * {@code router_settings} names one.
     *
     * @param registry where the shared state's gauge and counter go
     */
    public Router(HubConfig config, TokenCounter tokens, io.micrometer.core.instrument.MeterRegistry registry) {
        this(config, tokens, null, new SharedLimits(registry));
    }

    /** @param shared where it counts beyond this replica (tests choose its lease lifetime) */
    Router(HubConfig config, TokenCounter tokens, SharedLimits shared) {
        this(config, tokens, null, shared);
    }

    /**
     * Builds the router of a reloaded config: a deployment whose settings did not change is carried
     * over with its client, its rpm/tpm window and cooldown, and the Redis connection stays when its
     * settings did not change, so a reload neither resets limits nor drops pooled connections.
     *
     * @param previous the router being replaced
     */
    public Router(HubConfig config, TokenCounter tokens, Router previous) {
        this(config, tokens, previous, previous.shared);
    }

    private Router(HubConfig config, TokenCounter tokens, Router previous, SharedLimits shared) {
        this.settings = config.router();
        this.shared = shared;
        shared.configure(settings.redis());
        Map<String, Deployment> old = new LinkedHashMap<>();
        if (previous != null) {
            previous.groups.values().forEach(list -> list.forEach(d -> old.put(d.id(), d)));
        }
        Map<String, List<Deployment>> g = new LinkedHashMap<>();
        for (DeploymentConfig d : config.deployments()) {
            Deployment kept = old.get(d.id());
            Deployment dep;
            if (kept != null && kept.config().sameSettings(d)) {
                dep = kept;
            } else {
                Provider p = d.provider() == ProviderKind.MOCK
                        ? new MockProvider(d.mockResponse().orElse(MockProvider.DEFAULT_TEXT), d.upstreamModel(), tokens)
                        : new HttpProvider(d);
                dep = new Deployment(d, p, shared);
            }
            g.computeIfAbsent(d.modelName(), k -> new ArrayList<>()).add(dep);
        }
        g.replaceAll((k, v) -> List.copyOf(v));
        this.groups = java.util.Collections.unmodifiableMap(g);
    }

    /**
     * @param next the router that replaced this one
     * @return the deployments of this router the next one does not use (their clients can be closed
     *         once calls in progress are over)
     */
    public List<Deployment> retiredBy(Router next) {
        Set<Deployment> kept = new HashSet<>();
        next.groups.values().forEach(kept::addAll);
        List<Deployment> out = new ArrayList<>();
        groups.values().forEach(list -> list.stream().filter(d -> !kept.contains(d)).forEach(out::add));
        return out;
    }

    /** @return the longest time a call may spend on one try, over every deployment */
    public Duration longestTimeout() {
        Duration max = settings.timeout();
        for (List<Deployment> list : groups.values()) {
            for (Deployment d : list) {
                Duration t = timeoutOf(d);
                max = t.compareTo(max) > 0 ? t : max;
            }
        }
        return max;
    }

    /** @return the configured model names, in file order */
    public Set<String> modelNames() {
        return groups.keySet();
    }

    /** @return the deployments of a model name, empty when unknown */
    public List<Deployment> deployments(String modelName) {
        return groups.getOrDefault(modelName, List.of());
    }

    /** @return the default timeout of a try on this deployment */
    public Duration timeoutOf(Deployment d) {
        return d.config().timeout().orElse(settings.timeout());
    }

    /**
     * Runs {@code op} against deployments of {@code modelName} until one succeeds or the retries
     * are spent.
     *
     * @param modelName the group
     * @param observer  told about every try
     * @param op        one try; throws {@link UpstreamException} on failure
     * @param <T>       what a successful try returns
     * @return the first success, with the deployment that produced it
     * @throws UnknownModelException when no group has that name
     * @throws RoutedFailure         carrying the last failure, or a local 429 when every deployment is
     *                               at its limit
     */
    public <T> Routed<T> execute(String modelName, AttemptObserver observer, Function<Deployment, T> op) {
        List<Deployment> candidates = groups.get(modelName);
        if (candidates == null) {
            throw new UnknownModelException(modelName, groups.keySet());
        }
        Set<Deployment> tried = new HashSet<>();
        UpstreamException last = null;
        Deployment lastDeployment = null;
        int maxTries = -1;
        for (int attempt = 0; ; attempt++) {
            Deployment d;
            try {
                d = pick(modelName, candidates, tried);
            } catch (UpstreamException limited) {
                // every deployment is at its limit: a real upstream error, when there was one, says more
                throw last != null ? new RoutedFailure(lastDeployment, last) : new RoutedFailure(null, limited);
            }
            if (maxTries < 0) {
                maxTries = 1 + d.config().maxRetries().orElse(settings.numRetries());
            }
            if (last != null && tried.contains(d)) {
                sleep(backoff(attempt, last));
            }
            tried.add(d);
            observer.before(d);
            Instant start = Instant.now();
            long t0 = System.nanoTime();
            try {
                T result = op.apply(d);
                observer.after(d, start, Instant.now(), System.nanoTime() - t0, null);
                return new Routed<>(d, result);
            } catch (UpstreamException e) {
                observer.after(d, start, Instant.now(), System.nanoTime() - t0, e);
                failed(modelName, candidates, d, e);
                last = e;
                lastDeployment = d;
                if (!e.retryable() || attempt + 1 >= maxTries) {
                    LOG.log(System.Logger.Level.DEBUG, "{0}: try {1} on {2} failed ({3} {4}); giving up",
                            modelName, attempt + 1, d.id(), e.status(), e.type());
                    throw new RoutedFailure(lastDeployment, e);
                }
                LOG.log(System.Logger.Level.DEBUG, "{0}: try {1} on {2} failed ({3} {4}); retrying",
                        modelName, attempt + 1, d.id(), e.status(), e.type());
            }
        }
    }

    /**
     * A rpm-weighted random choice among deployments with room that are not cooling down, preferring
     * ones not yet tried: decided in Redis when it is configured and reachable, else here.
     */
    private Deployment pick(String modelName, List<Deployment> candidates, Set<Deployment> tried) {
        List<Deployment> order = weightedShuffle(candidates);
        // untried first, then (retrying) the tried ones
        order.sort((a, b) -> Boolean.compare(tried.contains(a), tried.contains(b)));
        long now = System.nanoTime();
        Optional<SharedLimits.Pick> decided = shared.pick(order);
        Duration soonest = null;
        boolean allCooling;
        if (decided.isPresent()) {
            SharedLimits.Pick p = decided.get();
            if (p.chosen() != null) {
                p.chosen().window().record(now); // this replica's own count, for when Redis goes away
                return p.chosen();
            }
            soonest = p.retryIn();
            allCooling = p.allCooling();
        } else {
            int cooling = 0;
            for (Deployment d : order) {
                long cool = d.cooldown().remaining(now);
                Optional<Duration> wait;
                if (cool > 0) {
                    cooling++;
                    wait = Optional.of(Duration.ofNanos(cool));
                } else {
                    wait = d.window().tryAcquire(now);
                    if (wait.isEmpty()) {
                        return d;
                    }
                }
                soonest = soonest == null || wait.get().compareTo(soonest) < 0 ? wait.get() : soonest;
            }
            allCooling = cooling == order.size();
        }
        long seconds = Math.max(1, (soonest.toMillis() + 999) / 1000);
        String why = allCooling ? "is cooling down after repeated failures" : "is at its rpm/tpm limit or cooling down";
        throw new UpstreamException(429, "rate_limit_error",
                "every deployment of '" + modelName + "' " + why + "; retry after " + seconds + " s",
                Optional.of("rate_limit_exceeded"), false, Optional.of(Duration.ofSeconds(seconds)));
    }

    /**
     * Counts a failed try towards its deployment's cooldown, when the failure says something about the
     * deployment (not the client's own 400s) and the group has another deployment to turn to.
     */
    private void failed(String modelName, List<Deployment> group, Deployment d, UpstreamException e) {
        int status = e.status();
        boolean counts = status == 401 || status == 404 || status == 408 || status == 429 || status >= 500;
        if (!counts || !settings.cooldowns() || group.size() < 2) {
            return;
        }
        boolean started = d.cooldown().fail(System.nanoTime(), settings.allowedFails(), settings.cooldownTime());
        started = shared.fail(d, settings.allowedFails(), settings.cooldownTime()).orElse(started);
        if (started) {
            LOG.log(System.Logger.Level.INFO, "{0}: deployment {1} failed more than {2} time(s) within a minute "
                    + "(last: {3} {4}); skipped for {5} ms", modelName, d.id(), settings.allowedFails(), status, e.type(),
                    settings.cooldownTime().toMillis());
        }
    }

    private static List<Deployment> weightedShuffle(List<Deployment> candidates) {
        List<Deployment> pool = new ArrayList<>(candidates);
        if (pool.size() == 1) {
            return pool;
        }
        boolean weighted = pool.stream().anyMatch(d -> d.config().rpm().isPresent());
        long fallback = pool.stream().mapToLong(d -> d.config().rpm().orElse(0)).max().orElse(1);
        List<Deployment> out = new ArrayList<>(pool.size());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!pool.isEmpty()) {
            double total = 0;
            double[] weights = new double[pool.size()];
            for (int i = 0; i < pool.size(); i++) {
                weights[i] = weighted ? Math.max(1, pool.get(i).config().rpm().orElse((int) fallback)) : 1;
                total += weights[i];
            }
            double r = random.nextDouble(total);
            int chosen = pool.size() - 1;
            for (int i = 0; i < weights.length; i++) {
                r -= weights[i];
                if (r < 0) {
                    chosen = i;
                    break;
                }
            }
            out.add(pool.remove(chosen));
        }
        return out;
    }

    private Duration backoff(int attempt, UpstreamException last) {
        long base = 500L << Math.min(attempt - 1, 10);
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        Duration d = Duration.ofMillis(jittered);
        if (d.compareTo(settings.retryAfter()) < 0) {
            d = settings.retryAfter();
        }
        if (last.retryAfter().isPresent() && last.retryAfter().get().compareTo(d) > 0) {
            d = last.retryAfter().get();
        }
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(503, "api_error", "interrupted while waiting to retry",
                    Optional.empty(), false, Optional.empty());
        }
    }

    /** @return where this router counts beyond this replica (tests look inside) */
    SharedLimits sharedLimits() {
        return shared;
    }

    /** @return whether rpm/tpm windows and cooldowns are counted in Redis with every replica right now */
    public boolean sharedStateUp() {
        return shared.up();
    }

    /** Closes every deployment's client and the Redis connection (shared by every router of one gateway). */
    @Override
    public void close() {
        groups.values().forEach(list -> list.forEach(d -> d.provider().close()));
        shared.close();
    }

    /**
     * A successful try.
     *
     * @param deployment who answered
     * @param value      what the try returned
     * @param <T>        its type
     */
    public record Routed<T>(Deployment deployment, T value) {
    }

    /** The call failed for good; carries the last deployment tried (null when none could be tried). */
    public static final class RoutedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Deployment deployment;
        private final UpstreamException error;

        RoutedFailure(Deployment deployment, UpstreamException error) {
            super(error.getMessage(), error, false, false);
            this.deployment = deployment;
            this.error = error;
        }

        public Optional<Deployment> deployment() {
            return Optional.ofNullable(deployment);
        }

        public UpstreamException error() {
            return error;
        }
    }
}
