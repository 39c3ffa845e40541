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
 *       skipping deployments whose {@code rpm}/{@code tpm} window is full; when all are full the call
 *       fails at once with 429 and the time until a slot frees as Retry-After;</li>
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

    /** Builds one provider (and so one pooled client) per deployment. */
    public Router(HubConfig config, TokenCounter tokens) {
        this(config, tokens, null);
    }

    /**
     * Builds the router of a reloaded config: a deployment whose settings did not change is carried
     * over with its client and its rpm/tpm window, so a reload neither resets limits nor drops pooled
     * connections.
     *
     * @param previous the router being replaced, or null
     */
    public Router(HubConfig config, TokenCounter tokens, Router previous) {
        this.settings = config.router();
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
                dep = new Deployment(d, p);
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
                d = pick(candidates, tried);
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
     * A rpm-weighted random choice among deployments with room, preferring ones not yet tried.
     */
    private Deployment pick(List<Deployment> candidates, Set<Deployment> tried) {
        long now = System.nanoTime();
        List<Deployment> order = weightedShuffle(candidates);
        // untried first, then (retrying) the tried ones
        order.sort((a, b) -> Boolean.compare(tried.contains(a), tried.contains(b)));
        Duration soonest = null;
        for (Deployment d : order) {
            Optional<Duration> wait = d.window().tryAcquire(now);
            if (wait.isEmpty()) {
                return d;
            }
            soonest = soonest == null || wait.get().compareTo(soonest) < 0 ? wait.get() : soonest;
        }
        long seconds = Math.max(1, (soonest.toMillis() + 999) / 1000);
        throw new UpstreamException(429, "rate_limit_error",
                "every deployment of this model is at its rpm/tpm limit; retry after " + seconds + " s",
                Optional.of("rate_limit_exceeded"), false, Optional.of(Duration.ofSeconds(seconds)));
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

    @Override
    public void close() {
        groups.values().forEach(list -> list.forEach(d -> d.provider().close()));
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
