package dev.llmhub.core.hub;

import dev.llmhub.core.journal.Journal;
import dev.llmhub.core.journal.JournalObserver;
import dev.llmhub.core.journal.JournalStats;
import dev.llmhub.core.logging.ThrottledLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The journal on {@code /metrics} and in the log: {@code llmhub_journal_write_seconds} (one group-commit
 * write), {@code llmhub_journal_fsync_seconds}, {@code llmhub_journal_size_bytes},
 * {@code llmhub_journal_segments}, {@code llmhub_journal_appended_total},
 * {@code llmhub_journal_write_failures_total}, {@code llmhub_journal_truncated_entries_total} and
 * {@code llmhub_journal_corrupt_entries_total}. Write failures are logged here (ERROR, throttled); the
 * journal logs torn tails and corrupt entries itself.
 */
final class JournalMetrics implements JournalObserver {
    private static final System.Logger LOG = System.getLogger("dev.llmhub.core.journal");

    private final Timer write;
    private final Timer fsync;
    private final Counter writeFailures;
    private final Counter truncated;
    private final Counter corrupt;
    private final ThrottledLog failureLog = new ThrottledLog(LOG, Duration.ofSeconds(10));
    private final MeterRegistry registry;

    JournalMetrics(MeterRegistry registry) {
        this.registry = registry;
        write = Timer.builder("llmhub.journal.write").description("One group-commit write of the journal")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1000))
                .maximumExpectedValue(Duration.ofSeconds(1)).register(registry);
        fsync = Timer.builder("llmhub.journal.fsync").description("One fsync of the journal (durability fsync)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1000))
                .maximumExpectedValue(Duration.ofSeconds(1)).register(registry);
        writeFailures = Counter.builder("llmhub.journal.write.failures")
                .description("Records that could not be written to the journal").register(registry);
        truncated = Counter.builder("llmhub.journal.truncated.entries")
                .description("Entries cut from a torn journal tail at startup").register(registry);
        corrupt = Counter.builder("llmhub.journal.corrupt.entries")
                .description("Journal entries skipped because they failed their checksum").register(registry);
    }

    /** Registers the gauges that read the journal's own statistics. */
    void bind(Journal<?> journal) {
        Supplier<JournalStats> stats = journal::stats;
        Gauge.builder("llmhub.journal.size", () -> stats.get().sizeBytes()).baseUnit("bytes")
                .description("Bytes the journal keeps").strongReference(true).register(registry);
        Gauge.builder("llmhub.journal.segments", () -> stats.get().segments())
                .description("Segment files of the journal").strongReference(true).register(registry);
        Gauge.builder("llmhub.journal.head.offset", () -> stats.get().headOffset())
                .description("Offset the next record gets").strongReference(true).register(registry);
        Gauge.builder("llmhub.journal.oldest.offset", () -> stats.get().oldestOffset())
                .description("Offset of the oldest record kept").strongReference(true).register(registry);
        FunctionCounter.builder("llmhub.journal.appended", journal, j -> j.stats().appended())
                .description("Records appended since start").register(registry);
    }

    @Override
    public void written(int entries, long nanos) {
        write.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void synced(long nanos) {
        fsync.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void writeFailed(int entries, String reason) {
        writeFailures.increment(entries);
        failureLog.log(Level.ERROR, held -> "journal: " + entries + " record(s) could not be written: " + reason
                + "; the proxy keeps answering, these calls are lost to every destination" + ThrottledLog.heldBack(held));
    }

    // Torn tails and corrupt entries are logged by the journal itself, with the file and byte offset.
    @Override
    public void truncated(long entries, long bytes, String segment) {
        truncated.increment(entries);
    }

    @Override
    public void corrupt(long entries, String segment) {
        corrupt.increment(entries);
    }
}
