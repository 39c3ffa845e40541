package dev.llmhub.core.hub;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.config.JournalSettings;
import dev.llmhub.core.config.KafkaJournalSettings;
import dev.llmhub.core.journal.Durability;
import dev.llmhub.core.journal.Journal;
import dev.llmhub.core.journal.JournalOpenException;
import dev.llmhub.core.journal.KafkaJournal;
import dev.llmhub.core.journal.LocalJournal;
import dev.llmhub.core.journal.MemoryJournal;
import dev.llmhub.core.record.CallRecordCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;

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
     * @return the open journal: a Kafka topic ({@code journal.kind: kafka}), on disk, or in memory for
     *         {@code durability: memory}
     */
    static Journal<CallRecord> open(JournalSettings settings, DataDirectory dataDir, MeterRegistry registry) {
        JournalMetrics metrics = new JournalMetrics(registry);
        Journal<CallRecord> journal;
        if (settings.kafka().isPresent()) {
            journal = kafka(settings, settings.kafka().get(), metrics);
        } else if (settings.durability() == Durability.MEMORY) {
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

    /** A topic llmhub creates keeps {@code max_age} and {@code max_disk} (spread over its partitions). */
    private static Journal<CallRecord> kafka(JournalSettings settings, KafkaJournalSettings k, JournalMetrics metrics) {
        Map<String, Object> client;
        try {
            client = k.clientProperties();
        } catch (UncheckedIOException e) {
            throw new JournalOpenException("the Kafka journal's TLS files cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> topicConfigs = Map.of(
                "retention.ms", Long.toString(settings.maxAge().toMillis()),
                "retention.bytes", Long.toString(Math.max(1, settings.maxDiskBytes() / k.partitions())),
                "max.message.bytes", Integer.toString(KafkaJournal.MAX_RECORD_BYTES));
        return KafkaJournal.open(KafkaJournal.Options.defaults(k.bootstrapServers().get(0), k.topic(), new CallRecordCodec(),
                        CallRecord::id)
                .withClient(client)
                .withProducer(k.producer())
                .withConsumer(k.consumer())
                .withGroupPrefix(k.groupPrefix())
                .withTopic(k.partitions(), k.replicationFactor(), topicConfigs)
                .withDurability(settings.durability())
                .withAppendTimeout(k.appendTimeout())
                .withObserver(metrics)
                .withSecrets(k.secrets()));
    }
}
