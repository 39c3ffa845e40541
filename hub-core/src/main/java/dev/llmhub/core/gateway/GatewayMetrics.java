package dev.llmhub.core.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request metrics: {@code llmhub_requests_total{model,status}}, and the request and upstream
 * latency histograms ({@code llmhub_request_latency_seconds}, {@code llmhub_upstream_latency_seconds}).
 * The model tag is a configured model name or {@code unknown}, so clients cannot blow up cardinality.
 */
final class GatewayMetrics {
    private final MeterRegistry registry;
    private volatile Set<String> models;
    // meters are looked up once per (model, status): registering on every request costs a registry lookup
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> upstreamTimers = new ConcurrentHashMap<>();
    private final Timer journalWait;

    GatewayMetrics(MeterRegistry registry, Set<String> models) {
        this.registry = registry;
        this.models = Set.copyOf(models);
        this.journalWait = Timer.builder("llmhub.journal.append.wait")
                .description("Time an answer waited for its record to be journaled (durability process or fsync)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    /** @param nanos how long an answer waited for its record's journal append */
    void journalWait(long nanos) {
        journalWait.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** @param configured the model names of a reloaded config: the only values the model tag takes */
    public void models(Set<String> configured) {
        this.models = Set.copyOf(configured);
    }

    /**
     * @param model   the requested model
     * @param status  HTTP status sent to the client
     * @param elapsed time from arrival to the end of the answer
     */
    void request(String model, int status, Duration elapsed) {
        String m = tagOf(model);
        counters.computeIfAbsent(m + "\n" + status, k -> Counter.builder("llmhub.requests")
                .description("Client requests by model and HTTP status")
                .tag("model", m).tag("status", Integer.toString(status)).register(registry)).increment();
        requestTimers.computeIfAbsent(m, k -> Timer.builder("llmhub.request.latency")
                .description("Time from request arrival to the end of the answer")
                .tag("model", m).publishPercentileHistogram().register(registry)).record(elapsed);
    }

    /** @param model the requested model @param elapsed time spent waiting on upstreams for one call */
    void upstream(String model, Duration elapsed) {
        String m = tagOf(model);
        upstreamTimers.computeIfAbsent(m, k -> Timer.builder("llmhub.upstream.latency")
                .description("Time spent waiting on upstream providers per call")
                .tag("model", m).publishPercentileHistogram().register(registry)).record(elapsed);
    }

    private String tagOf(String model) {
        return model != null && models.contains(model) ? model : "unknown";
    }
}
