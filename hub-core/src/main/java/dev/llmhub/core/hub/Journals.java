package dev.llmhub.core.hub;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.config.JournalSettings;
import dev.llmhub.core.journal.Durability;
import dev.llmhub.core.journal.Journal;
import dev.llmhub.core.journal.LocalJournal;
import dev.llmhub.core.journal.MemoryJournal;
import dev.llmhub.core.record.CallRecordCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** Opens the journal {@code general_settings} asks for, with its metrics. */
final class Journals {
    private Journals() {
    }

    /**
     * The recent records lanes at the head read without decoding: 16 MiB of encoded bytes, less on a
     * small heap (decoded records take a few times their encoded size).
     */
    static long tailCache() {
        return Math.min(LocalJournal.Options.DEFAULT_TAIL_CACHE_BYTES, Runtime.getRuntime().maxMemory() / 32);
    }

    /**
     * @param settings {@code durability}, {@code fsync_interval}, {@code journal.*}
     * @param dataDir  where a journal on disk goes ({@code <data dir>/journal})
     * @param registry where its metrics go
     * @return the open journal: on disk, or in memory for {@code durability: memory}
     */
    static Journal<CallRecord> open(JournalSettings settings, DataDirectory dataDir, MeterRegistry registry) {
        JournalMetrics metrics = new JournalMetrics(registry);
        Journal<CallRecord> journal;
        if (settings.durability() == Durability.MEMORY) {
            journal = new MemoryJournal<>(settings.maxMemoryBytes(), new CallRecordCodec(), metrics, Clock.systemUTC());
        } else {
            dataDir.create();
            journal = LocalJournal.open(LocalJournal.Options.defaults(dataDir.path().resolve("journal"), new CallRecordCodec())
                    .withDurability(settings.durability())
                    .withFsyncInterval(settings.fsyncInterval())
                    .withMaxDiskBytes(settings.maxDiskBytes())
                    .withMaxAge(settings.maxAge())
                    .withSegmentBytes(settings.segmentBytes())
                    .withTailCacheBytes(tailCache())
                    .withObserver(metrics));
        }
        metrics.bind(journal);
        return journal;
    }
}
