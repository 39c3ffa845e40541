package dev.llmhub.core.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One lane's meters (the server renders them as Prometheus text). A destination's are
 * {@code llmhub_destination_records_total{destination,outcome}} (outcome exported, retried, failed,
 * dropped), {@code llmhub_destination_export_seconds}, {@code llmhub_destination_lag_records},
 * {@code _lag_bytes}, {@code _lag_seconds} (age of the oldest undelivered record) and
 * {@code llmhub_destination_state{destination,state}} (1 for the current state); a callback handler's
 * the same under {@code llmhub_handler_*} with the label {@code handler} and {@code events_total}.
 */
final class LaneMetrics {
    /** The states a lane reports, one gauge series each. */
    static final List<String> STATES = List.of("active", "waiting", "paused", "retrying", "stuck");

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter exported;
    private final Counter retried;
    private final Counter failed;
    private final Counter dropped;
    private final Timer callTime;

    LaneMetrics(String lane, LaneKind kind, MeterRegistry registry, Supplier<LaneStatus> status) {
        this.registry = registry;
        boolean handler = kind == LaneKind.HANDLER;
        String prefix = handler ? "llmhub.handler" : "llmhub.destination";
        String tag = handler ? "handler" : "destination";
        String unit = handler ? "events" : "records";
        exported = counter(prefix + "." + unit, tag, lane, "exported");
        retried = counter(prefix + "." + unit, tag, lane, "retried");
        failed = counter(prefix + "." + unit, tag, lane, "failed");
        dropped = counter(prefix + "." + unit, tag, lane, "dropped");
        callTime = Timer.builder(prefix + (handler ? ".call" : ".export"))
                .description(handler ? "Time of one hook call into a callback handler" : "Time of one export call into a destination")
                .tag(tag, lane)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        meters.add(callTime);
        gauge(prefix + ".lag.records", tag, lane, "Records in the journal this lane has not delivered yet",
                () -> status.get().lag().entries());
        gauge(prefix + ".lag.bytes", tag, lane, "Encoded bytes of the records this lane has not delivered yet",
                () -> status.get().lag().bytes());
        gauge(prefix + ".lag.seconds", tag, lane, "Age of the oldest record this lane has not delivered yet",
                () -> status.get().lagSeconds());
        for (String state : STATES) {
            meters.add(Gauge.builder(prefix + ".state", () -> status.get().state().equals(state) ? 1 : 0)
                    .description("1 for the lane's current state")
                    .tag(tag, lane)
                    .tag("state", state)
                    .strongReference(true)
                    .register(registry));
        }
    }

    private Counter counter(String name, String tag, String lane, String outcome) {
        Counter c = Counter.builder(name)
                .description("Records (or handler events) per lane and outcome")
                .tag(tag, lane)
                .tag("outcome", outcome)
                .register(registry);
        meters.add(c);
        return c;
    }

    private void gauge(String name, String tag, String lane, String description, Supplier<Number> value) {
        meters.add(Gauge.builder(name, value).description(description).tag(tag, lane).strongReference(true)
                .register(registry));
    }

    void exported(long n) {
        exported.increment(n);
    }

    void retried(long n) {
        retried.increment(n);
    }

    void failed(long n) {
        failed.increment(n);
    }

    void dropped(long n) {
        dropped.increment(n);
    }

    void callTime(long nanos) {
        callTime.record(Duration.ofNanos(nanos));
    }

    LaneCounters snapshot() {
        return new LaneCounters((long) exported.count(), (long) retried.count(), (long) failed.count(),
                (long) dropped.count());
    }

    /** Removes this lane's meters, so a removed lane leaves no stale series. */
    void remove() {
        meters.forEach(registry::remove);
    }
}
