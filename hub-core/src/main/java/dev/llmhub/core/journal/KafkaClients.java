package dev.llmhub.core.journal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The settings of the Kafka journal's clients, in three layers: the journal's defaults, then what the
 * user wrote ({@code client.*} for every client, {@code producer.*}, {@code consumer.*}), then what the
 * journal must own (serializers, {@code acks} from the durability, the group and its commits).
 */
final class KafkaClients {
    /** Records the producer could not take yet wait in memory up to this much (a broker restart, an outage). */
    static final long BACKLOG_BYTES = 32L << 20;
    /** Kafka's own default: how long the producer keeps a record it could not send yet (a broker restart). */
    static final int DELIVERY_TIMEOUT_MS = 120_000;

    private KafkaClients() {
    }

    /**
     * @return the most record bytes one destination's reader holds, and the most one fetch brings: 8 MiB,
     *         less on a small heap (decoded records take a few times their encoded size)
     */
    static long readBufferBytes() {
        return Math.max(1 << 20, Math.min(8L << 20, Runtime.getRuntime().maxMemory() / 32));
    }

    /** @return the producer's settings: acks from the durability, the journal's latency-minded defaults */
    static Map<String, Object> producer(KafkaJournal.Options<?> o) {
        Map<String, Object> p = new LinkedHashMap<>();
        // No linger: a record goes out at once, and records that arrive while a request is in flight
        // share the next one (group commit from the producer's batching, as on disk).
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, KafkaJournal.MAX_RECORD_BYTES);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        // send() waits this long at most for metadata or buffer space: an append never blocks a request longer.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(1000, o.appendTimeout().toMillis()));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "llmhub-journal-" + shortId());
        p.putAll(o.client());
        p.putAll(o.producer());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, acks(o.durability()));
        return p;
    }

    /**
     * @param o     the journal's options
     * @param group the destination's consumer group
     * @param name  the destination, for the client id
     * @return the settings of one destination's consumer
     */
    static Map<String, Object> consumer(KafkaJournal.Options<?> o, String group, String name) {
        Map<String, Object> p = readerDefaults(o, "llmhub-journal-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + shortId());
        p.putAll(o.consumer());
        if ("consumer".equalsIgnoreCase(String.valueOf(p.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
            // The broker-side protocol sets these on the broker; the client refuses them.
            for (String classicOnly : new String[] {ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                    ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG}) {
                if (!o.consumer().containsKey(classicOnly)) {
                    p.remove(classicOnly);
                }
            }
        }
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Used only where nothing is committed and the journal has not placed the cursor itself, and
        // where retention removed the committed position: then the oldest record left (counted as a drop).
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** @return the settings of the group-less consumer behind {@code read} and timestamp lookups */
    static Map<String, Object> browser(KafkaJournal.Options<?> o) {
        Map<String, Object> p = readerDefaults(o, "llmhub-journal-read-" + shortId());
        p.putAll(o.consumer());
        p.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        p.remove(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
        p.remove(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
        p.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** @return the admin client's settings: offsets, groups, the topic */
    static Map<String, Object> admin(KafkaJournal.Options<?> o) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "llmhub-journal-admin-" + shortId());
        p.putAll(o.client());
        return p;
    }

    /** @return {@code 1}, {@code all} or {@code 0} for {@code process}, {@code fsync}, {@code memory} */
    static String acks(Durability d) {
        return switch (d) {
            case PROCESS -> "1";
            case FSYNC -> "all";
            case MEMORY -> "0";
        };
    }

    private static Map<String, Object> readerDefaults(KafkaJournal.Options<?> o, String clientId) {
        Map<String, Object> p = new LinkedHashMap<>();
        // The classic protocol lets the client choose how soon a dead replica's partitions move (10 s,
        // not the 45 s default); cooperative rebalancing moves only the partitions that must move.
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3000);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // Memory stays bounded per destination whatever the backlog (the reader's own buffer is bounded too).
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, (int) readBufferBytes());
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.putAll(o.client());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
