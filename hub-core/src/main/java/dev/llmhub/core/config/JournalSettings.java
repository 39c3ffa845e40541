package dev.llmhub.core.config;

import dev.llmhub.core.journal.Durability;
import dev.llmhub.core.journal.LocalJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how records are kept until every destination has them ({@code general_settings}:
 * {@code data_dir}, {@code durability}, {@code fsync_interval}, {@code journal.*}).
 *
 * @param dataDir        {@code data_dir}; empty means the command line, {@code LLMHUB_DATA_DIR} or the
 *                       distribution's {@code data/} decides
 * @param durability     how far an append has gone before the response completes
 * @param fsyncInterval  least time between two fsyncs ({@code fsync} durability)
 * @param maxDiskBytes   {@code journal.max_disk}: the most bytes the journal keeps
 * @param maxAge         {@code journal.max_age}: the oldest entry kept
 * @param segmentBytes   {@code journal.segment_size}: size at which a segment file rolls
 * @param maxMemoryBytes {@code journal.max_memory}: the budget of the {@code memory} durability
 * @param kafka          {@code journal.kind: kafka} and its settings; empty for the local journal
 */
public record JournalSettings(Optional<Path> dataDir, Durability durability, Duration fsyncInterval,
                              long maxDiskBytes, Duration maxAge, long segmentBytes, long maxMemoryBytes,
                              Optional<KafkaJournalSettings> kafka) {
    /** 64 MiB. */
    public static final long DEFAULT_MAX_MEMORY = 64L << 20;

    public JournalSettings {
        Objects.requireNonNull(dataDir, "dataDir is null");
        Objects.requireNonNull(durability, "durability is null");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval is null");
        Objects.requireNonNull(maxAge, "maxAge is null");
        Objects.requireNonNull(kafka, "kafka is null");
    }

    /** @return the defaults: the local journal with its own defaults ({@code process} durability, 1 GiB, 24 h, 64 MiB segments) */
    public static JournalSettings defaults() {
        return new JournalSettings(Optional.empty(), Durability.PROCESS, Duration.ZERO,
                LocalJournal.Options.DEFAULT_MAX_DISK_BYTES, LocalJournal.Options.DEFAULT_MAX_AGE,
                LocalJournal.Options.DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_MEMORY, Optional.empty());
    }

    /** @return {@code local} or {@code kafka} ({@code journal.kind}) */
    public String kind() {
        return kafka.isPresent() ? "kafka" : "local";
    }

    /**
     * @return whether records not yet delivered outlive a stop of this proxy: on disk, or in Kafka
     *         (whatever the durability); only the local journal with {@code durability: memory} loses them
     */
    public boolean survivesStop() {
        return kafka.isPresent() || durability != Durability.MEMORY;
    }
}
