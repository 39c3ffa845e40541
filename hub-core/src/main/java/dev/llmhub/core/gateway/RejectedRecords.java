package dev.llmhub.core.gateway;

import dev.llmhub.core.config.RejectedRequestSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Which refused requests become records: all of them up to {@code rejected_requests.max_per_second}
 * in each second, none with {@code record: false}. A flood of bad requests then costs the journal and
 * the destinations a bounded number of records a second, and good records keep their room. Every one
 * left out is counted in {@code llmhub_rejected_records_skipped_total{status}}.
 */
final class RejectedRecords {
    private static final long SECOND = 1_000_000_000L;

    private final MeterRegistry registry;
    private final LongSupplier nanoTime;
    private final long origin;
    /** The current one-second window and how many records it let through: {@code second << 32 | count}. */
    private final AtomicLong window = new AtomicLong();
    private final Map<Integer, Counter> skipped = new ConcurrentHashMap<>();

    RejectedRecords(MeterRegistry registry) {
        this(registry, System::nanoTime);
    }

    /** @param nanoTime the clock ({@link System#nanoTime()} outside tests) */
    RejectedRecords(MeterRegistry registry, LongSupplier nanoTime) {
        this.registry = registry;
        this.nanoTime = nanoTime;
        this.origin = nanoTime.getAsLong();
    }

    /**
     * @param settings the running config's {@code rejected_requests}
     * @param status   the status the request is refused with (the counter's tag)
     * @return whether this refused request gets a record; when not, it is counted as skipped
     */
    boolean admit(RejectedRequestSettings settings, int status) {
        if (settings.record() && take(settings.maxPerSecond())) {
            return true;
        }
        skipped.computeIfAbsent(status, s -> Counter.builder("llmhub.rejected.records.skipped")
                .description("Refused requests that got no call record (general_settings.rejected_requests)")
                .tag("status", Integer.toString(s)).register(registry)).increment();
        return false;
    }

    private boolean take(int perSecond) {
        long now = (nanoTime.getAsLong() - origin) / SECOND;
        while (true) {
            long current = window.get();
            long second = current >>> 32;
            long count = current & 0xFFFF_FFFFL;
            long next;
            if (now > second) {
                next = now << 32 | 1;
            } else if (count < perSecond) {
                next = current + 1; // a thread that read the clock late counts in the window already open
            } else {
                return false;
            }
            if (window.compareAndSet(current, next)) {
                return true;
            }
        }
    }
}
