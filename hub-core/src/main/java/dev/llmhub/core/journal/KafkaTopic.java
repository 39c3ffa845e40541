package dev.llmhub.core.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The journal's topic as the admin client sees it: created when missing, and a {@link Snapshot} of its
 * offsets, its oldest record's time, its size and the destinations' committed offsets, refreshed by
 * the journal every second so that {@code stats()} and {@code lag()} never wait for the network.
 * Every call is bounded; a failure throws {@link KafkaTopic.Unavailable} with a message fit for the log.
 */
final class KafkaTopic {
    private static final Duration CALL = Duration.ofSeconds(10);

    private final Admin admin;
    private final String topic;

    KafkaTopic(Admin admin, String topic) {
        this.admin = admin;
        this.topic = topic;
    }

    /** Kafka could not be asked, or refused: the message says what and where, without secrets. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;
        private final Throwable kafkaError;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
            this.kafkaError = cause;
        }

        /** @return what Kafka's client threw (unwrapped), to tell a refusal from an outage */
        Throwable kafkaError() {
            return kafkaError;
        }
    }

    /**
     * What the topic holds, as of {@code at}.
     *
     * @param partitions      partition count (0 while unknown)
     * @param begin           each partition's oldest retained offset
     * @param end             each partition's next offset
     * @param oldestTimestamp the oldest retained record's time (epoch ms), or -1
     * @param sizeBytes       bytes on the brokers (one replica per partition), or -1 when unknown
     * @param at              when it was read
     */
    record Snapshot(int partitions, long[] begin, long[] end, long oldestTimestamp, long sizeBytes, Instant at) {
        static final Snapshot NONE = new Snapshot(0, new long[0], new long[0], -1, -1, Instant.EPOCH);

        long beginOf(int p) {
            return p < begin.length ? begin[p] : 0;
        }

        long endOf(int p) {
            return p < end.length ? end[p] : 0;
        }

        long beginSum() {
            return Arrays.stream(begin).sum();
        }

        long endSum() {
            return Arrays.stream(end).sum();
        }
    }

    /**
     * What the topic is; created with {@code partitions}, {@code replication} and {@code configs} when it
     * does not exist.
     *
     * @param timeout longest wait for each answer
     * @return partitions, replication factor and (when readable) {@code min.insync.replicas}
     */
    Description ensure(int partitions, Optional<Short> replication, Map<String, String> configs, Duration timeout)
            throws Unavailable {
        TopicDescription d;
        try {
            d = get(admin.describeTopics(List.of(topic)).allTopicNames(), timeout).get(topic);
        } catch (Unavailable e) {
            if (!(e.kafkaError() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
            try {
                get(admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), replication).configs(configs)))
                        .all());
            } catch (Unavailable created) {
                if (!(created.kafkaError() instanceof TopicExistsException)) {
                    throw created;
                }
            }
            d = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        }
        int replicas = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
        String minIsr = "?";
        try {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config c = get(admin.describeConfigs(List.of(r)).all()).get(r);
            if (c != null && c.get("min.insync.replicas") != null) {
                minIsr = c.get("min.insync.replicas").value();
            }
        } catch (Unavailable e) {
            // not allowed to read the topic's configuration: the log line says "?"
        }
        return new Description(d.partitions().size(), replicas, minIsr);
    }

    /** @param partitions partition count @param replicas replication factor @param minInsyncReplicas as configured, or "?" */
    record Description(int partitions, int replicas, String minInsyncReplicas) {
    }

    /** @return the partition count now */
    int partitions() throws Unavailable {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().size();
    }

    /**
     * @param partitions partition count
     * @param previous   the last snapshot (its size is kept unless {@code withSize})
     * @param withSize   whether to ask the brokers for the topic's size on disk too
     * @return the topic's offsets now
     */
    Snapshot snapshot(int partitions, Snapshot previous, boolean withSize) throws Unavailable {
        Map<TopicPartition, ListOffsetsResultInfo> earliest = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, ListOffsetsResultInfo> latest = offsets(partitions, OffsetSpec.latest());
        // The first record at or after time 0 is the oldest one; its answer carries its time.
        Map<TopicPartition, ListOffsetsResultInfo> first = offsets(partitions, OffsetSpec.forTimestamp(0));
        long[] begin = new long[partitions];
        long[] end = new long[partitions];
        long oldest = -1;
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            begin[p] = earliest.get(tp).offset();
            end[p] = latest.get(tp).offset();
            ListOffsetsResultInfo f = first.get(tp);
            if (f != null && f.offset() >= 0 && f.offset() < end[p] && f.timestamp() >= 0) {
                oldest = oldest < 0 ? f.timestamp() : Math.min(oldest, f.timestamp());
            }
        }
        long size = previous.sizeBytes();
        if (withSize) {
            try {
                size = size();
            } catch (Unavailable e) {
                size = -1; // not allowed to describe the brokers' log directories: the size is unknown
            }
        }
        return new Snapshot(partitions, begin, end, oldest, size, Instant.now());
    }

    /** @param partitions partition count @return each partition's next offset now */
    Map<Integer, Long> ends(int partitions) throws Unavailable {
        Map<Integer, Long> out = new HashMap<>();
        offsets(partitions, OffsetSpec.latest()).forEach((tp, info) -> out.put(tp.partition(), info.offset()));
        return out;
    }

    /**
     * @param time       a time
     * @param partitions partition count
     * @return per partition, the first record at or after {@code time} (offset -1 where there is none)
     */
    Map<Integer, ListOffsetsResultInfo> offsetsAt(Instant time, int partitions) throws Unavailable {
        Map<Integer, ListOffsetsResultInfo> out = new HashMap<>();
        offsets(partitions, OffsetSpec.forTimestamp(time.toEpochMilli())).forEach((tp, info) -> out.put(tp.partition(), info));
        return out;
    }

    /**
     * @param groups consumer groups
     * @return each group's committed offset per partition of the topic (partitions without one are absent)
     */
    Map<String, Map<Integer, Long>> committed(Collection<String> groups) throws Unavailable {
        Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
        for (String g : groups) {
            specs.put(g, new ListConsumerGroupOffsetsSpec());
        }
        Map<String, Map<Integer, Long>> out = new HashMap<>();
        if (specs.isEmpty()) {
            return out;
        }
        Map<String, Map<TopicPartition, OffsetAndMetadata>> all = get(admin.listConsumerGroupOffsets(specs).all());
        all.forEach((group, offsets) -> {
            Map<Integer, Long> mine = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (tp.topic().equals(topic) && om != null) {
                    mine.put(tp.partition(), om.offset());
                }
            });
            out.put(group, mine);
        });
        return out;
    }

    /** @param prefix a group prefix @return the consumer groups whose id starts with it */
    List<String> groups(String prefix) throws Unavailable {
        List<String> out = new ArrayList<>();
        get(admin.listGroups().all()).forEach(g -> {
            if (g.groupId().startsWith(prefix)) {
                out.add(g.groupId());
            }
        });
        return out;
    }

    /** @param group a consumer group without members: deleted with its offsets */
    void deleteGroup(String group) throws Unavailable {
        get(admin.deleteConsumerGroups(List.of(group)).all());
    }

    private long size() throws Unavailable {
        Collection<Node> nodes = get(admin.describeCluster().nodes());
        List<Integer> ids = nodes.stream().map(Node::id).toList();
        Map<Integer, Long> perPartition = new HashMap<>();
        get(admin.describeLogDirs(ids).allDescriptions()).values().forEach(dirs -> dirs.values().forEach(dir ->
                dir.replicaInfos().forEach((TopicPartition tp, ReplicaInfo info) -> {
                    if (tp.topic().equals(topic)) {
                        perPartition.merge(tp.partition(), info.size(), Math::max);
                    }
                })));
        return perPartition.values().stream().mapToLong(Long::longValue).sum();
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(int partitions, OffsetSpec spec) throws Unavailable {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), spec);
        }
        return get(admin.listOffsets(request).all());
    }

    private static <V> V get(KafkaFuture<V> future) throws Unavailable {
        return get(future, CALL);
    }

    private static <V> V get(KafkaFuture<V> future, Duration timeout) throws Unavailable {
        try {
            return future.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Unavailable(KafkaErrors.describe(cause), cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new Unavailable("no answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        }
    }
}
