package dev.llmhub.core.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One lane's counters, as Micrometer meters (the server renders them as Prometheus text):
 * {@code llmhub_destination_records_total{destination,outcome}} with outcome exported, retried,
 * failed or dropped; {@code llmhub_destination_queue_depth{destination}};
 * {@code llmhub_destination_export_seconds} (histogram). Also owns the rate-limited overflow WARN.
 */
final class LaneMetrics {
    private static final System.Logger LOG = System.getLogger(LaneMetrics.class.getName());
    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final String lane;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter exported;
    private final Counter retried;
    private final Counter failed;
    private final Counter dropped;
    private final Timer exportTime;
    private final AtomicLong lastDropWarn = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private final AtomicLong droppedSinceWarn = new AtomicLong();

    LaneMetrics(String lane, MeterRegistry registry, Supplier<Number> depth) {
        this.lane = lane;
        this.registry = registry;
        exported = counter("exported");
        retried = counter("retried");
        failed = counter("failed");
        dropped = counter("dropped");
        exportTime = Timer.builder("llmhub.destination.export")
                .description("Time of one export call into a destination (or one hook call into a handler)")
                .tag("destination", lane)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        meters.add(exportTime);
        meters.add(Gauge.builder("llmhub.destination.queue.depth", depth)
                .description("Records waiting in a lane: queued, in a batch being exported or retried, or held for a missing plugin")
                .tag("destination", lane)
                .strongReference(true)
                .register(registry));
    }

    private Counter counter(String outcome) {
        Counter c = Counter.builder("llmhub.destination.records")
                .description("Records (or handler events) per lane and outcome")
                .tag("destination", lane)
                .tag("outcome", outcome)
                .register(registry);
        meters.add(c);
        return c;
    }

    void exported(long n) { exported.increment(n); }

    void retried(long n) { retried.increment(n); }

    void failed(long n) { failed.increment(n); }

    void exportTime(long nanos) { exportTime.record(Duration.ofNanos(nanos)); }

    /** Counts dropped records and warns, at most once per 10 s per lane, with how many since. */
    void dropped(long n, String why) {
        dropped.increment(n);
        long since = droppedSinceWarn.addAndGet(n);
        long now = System.nanoTime();
        long last = lastDropWarn.get();
        if (now - last >= WARN_EVERY_NANOS && lastDropWarn.compareAndSet(last, now)) {
            droppedSinceWarn.addAndGet(-since);
            LOG.log(Level.WARNING, "lane ''{0}'': dropped {1} record(s) ({2}); total dropped {3}",
                    lane, since, why, (long) dropped.count());
        }
    }

    private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private final AtomicLong suppressedWarns = new AtomicLong();

    /**
     * Logs a plugin fault at most once per 10 s per lane, saying how many similar ones were
     * suppressed: a plugin failing on every record must not flood the log.
     */
    void warnLimited(Level level, String message) {
        long now = System.nanoTime();
        long last = lastWarn.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarn.compareAndSet(last, now)) {
            long suppressed = suppressedWarns.getAndSet(0);
            LOG.log(level, "lane ''{0}'': {1}{2}", lane, message,
                    suppressed == 0 ? "" : " (" + suppressed + " similar message(s) suppressed in the last 10 s)");
        } else {
            suppressedWarns.incrementAndGet();
        }
    }

    LaneCounters snapshot() {
        return new LaneCounters((long) exported.count(), (long) retried.count(), (long) failed.count(),
                (long) dropped.count());
    }

    /** Removes this lane's meters, so a closed runtime leaves no stale series. */
    void remove() {
        meters.forEach(registry::remove);
    }
}
