package dev.llmhub.core.journal;

import dev.llmhub.core.logging.ThrottledLog;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The journal as a Kafka topic ({@code general_settings.journal.kind: kafka}), for several replicas of
 * the proxy: every replica appends its records to the one topic (key = call id, value = the documented
 * call-record JSON, so any tool can read it), and each destination is a consumer group
 * ({@code <group_prefix><name>}) shared by every replica that runs it: Kafka spreads the partitions
 * over them, a replica that dies loses nothing (its partitions move to the others, which resume at the
 * committed offsets), and each record is delivered by one of them.
 *
 * <p><b>Durability</b> maps onto the producer: {@code process} is {@code acks=1} (the partition leader
 * has the record before the answer completes), {@code fsync} is {@code acks=all} (every in-sync
 * replica, at least the topic's {@code min.insync.replicas}, idempotent producer), {@code memory} is
 * {@code acks=0} (fire and forget). Group commit comes from the producer's batching: records that
 * arrive while a request is in flight share the next one.
 *
 * <p><b>When Kafka does not answer</b> an append never holds a request longer than
 * {@code append_timeout}; once one wait ran out the journal is <em>degraded</em> and answers stop waiting
 * at all until Kafka acknowledges again (one WARN each way). The records stay in the producer's memory
 * and go out when Kafka is back; what the producer gives up ({@code delivery.timeout.ms}, a full buffer,
 * a refusal) is counted as a write failure and logged. Lanes simply wait: their consumers retry.
 *
 * <p>Offsets: see {@link KafkaOffsets} (addresses for entries, sums for positions). Stats and lags come
 * from a snapshot of the topic's offsets and the groups' committed offsets, refreshed every second.
 * Retention is the topic's ({@code retention.ms}, {@code retention.bytes}); a topic llmhub creates gets
 * {@code max_age} and {@code max_disk} there. A record retention removed before a destination read it
 * is counted as dropped for that destination.
 */
public final class KafkaJournal<T> implements Journal<T> {
    private static final System.Logger LOG = System.getLogger(KafkaJournal.class.getName());
    private static final Duration CALL = Duration.ofSeconds(10);
    /**
     * The largest record the producer sends (16 MiB): long-context calls are large. A topic the journal
     * creates should accept it too ({@code max.message.bytes}).
     */
    public static final int MAX_RECORD_BYTES = 16 << 20;

    /**
     * @param topic             the journal's topic
     * @param client            settings every client shares: {@code bootstrap.servers}, security, {@code client.*}
     * @param producer          {@code producer.*} as the user wrote them
     * @param consumer          {@code consumer.*} as the user wrote them
     * @param groupPrefix       a destination's group is this plus its name
     * @param partitions        partitions of the topic when the journal creates it
     * @param replicationFactor its replication factor then (empty: the brokers' default)
     * @param topicConfigs      its settings then ({@code retention.ms}…)
     * @param durability        sets {@code acks}
     * @param appendTimeout     the longest an append's wait lasts
     * @param startupWait       how long opening waits for Kafka before it starts degraded
     * @param codec             values to bytes
     * @param key               a value's record key (the call id)
     * @param observer          acknowledgement times, write failures, corrupt records, drops
     * @param secrets           values scrubbed from every message (passwords)
     */
    public record Options<T>(String topic, Map<String, Object> client, Map<String, String> producer,
                             Map<String, String> consumer, String groupPrefix, int partitions,
                             Optional<Short> replicationFactor, Map<String, String> topicConfigs, Durability durability,
                             Duration appendTimeout, Duration startupWait, JournalCodec<T> codec,
                             Function<T, String> key, JournalObserver observer, List<String> secrets) {
        public Options {
            Objects.requireNonNull(topic, "topic is null");
            client = Map.copyOf(client);
            producer = Map.copyOf(producer);
            consumer = Map.copyOf(consumer);
            Objects.requireNonNull(groupPrefix, "groupPrefix is null");
            Objects.requireNonNull(replicationFactor, "replicationFactor is null");
            topicConfigs = Map.copyOf(topicConfigs);
            Objects.requireNonNull(durability, "durability is null");
            Objects.requireNonNull(codec, "codec is null");
            Objects.requireNonNull(key, "key is null");
            Objects.requireNonNull(observer, "observer is null");
            secrets = List.copyOf(secrets);
            if (!appendTimeout.isPositive() || startupWait.isNegative() || partitions < 1) {
                throw new IllegalArgumentException("append timeout and partitions must be positive");
            }
        }

        /** @return plaintext to {@code bootstrapServers}, 6 partitions, {@code process}, 5 s append timeout */
        public static <T> Options<T> defaults(String bootstrapServers, String topic, JournalCodec<T> codec,
                                              Function<T, String> key) {
            return new Options<>(topic, Map.of("bootstrap.servers", bootstrapServers), Map.of(), Map.of(), "llmhub-", 6,
                    Optional.empty(), Map.of(), Durability.PROCESS, Duration.ofSeconds(5), Duration.ofSeconds(10), codec,
                    key, JournalObserver.NONE, List.of());
        }

        public Options<T> withClient(Map<String, Object> v) {
            return new Options<>(topic, v, producer, consumer, groupPrefix, partitions, replicationFactor, topicConfigs,
                    durability, appendTimeout, startupWait, codec, key, observer, secrets);
        }

        public Options<T> withProducer(Map<String, String> v) {
            return new Options<>(topic, client, v, consumer, groupPrefix, partitions, replicationFactor, topicConfigs,
                    durability, appendTimeout, startupWait, codec, key, observer, secrets);
        }

        public Options<T> withConsumer(Map<String, String> v) {
            return new Options<>(topic, client, producer, v, groupPrefix, partitions, replicationFactor, topicConfigs,
                    durability, appendTimeout, startupWait, codec, key, observer, secrets);
        }

        public Options<T> withGroupPrefix(String v) {
            return new Options<>(topic, client, producer, consumer, v, partitions, replicationFactor, topicConfigs,
                    durability, appendTimeout, startupWait, codec, key, observer, secrets);
        }

        public Options<T> withTopic(int partitionCount, Optional<Short> replication, Map<String, String> configs) {
            return new Options<>(topic, client, producer, consumer, groupPrefix, partitionCount, replication, configs,
                    durability, appendTimeout, startupWait, codec, key, observer, secrets);
        }

        public Options<T> withDurability(Durability v) {
            return new Options<>(topic, client, producer, consumer, groupPrefix, partitions, replicationFactor,
                    topicConfigs, v, appendTimeout, startupWait, codec, key, observer, secrets);
        }

        public Options<T> withAppendTimeout(Duration v) {
            return new Options<>(topic, client, producer, consumer, groupPrefix, partitions, replicationFactor,
                    topicConfigs, durability, v, startupWait, codec, key, observer, secrets);
        }

        public Options<T> withStartupWait(Duration v) {
            return new Options<>(topic, client, producer, consumer, groupPrefix, partitions, replicationFactor,
                    topicConfigs, durability, appendTimeout, v, codec, key, observer, secrets);
        }

        public Options<T> withObserver(JournalObserver v) {
            return new Options<>(topic, client, producer, consumer, groupPrefix, partitions, replicationFactor,
                    topicConfigs, durability, appendTimeout, startupWait, codec, key, v, secrets);
        }

        public Options<T> withSecrets(List<String> v) {
            return new Options<>(topic, client, producer, consumer, groupPrefix, partitions, replicationFactor,
                    topicConfigs, durability, appendTimeout, startupWait, codec, key, observer, v);
        }

        /** @param name a destination @return its consumer group */
        public String groupOf(String name) {
            return groupPrefix + name;
        }
    }

    private final Options<T> options;
    private final String where;
    private final Admin admin;
    private final KafkaTopic topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaBrowser<T> browser;
    private final long deliveryTimeoutMs;
    private final KafkaBacklog backlog;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("llmhub-journal-kafka").unstarted(r));
    private final Map<String, KafkaReader<T>> readers = new ConcurrentHashMap<>();
    private final LongAdder appended = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicLong sizeTotal = new AtomicLong();
    private final AtomicLong sizeCount = new AtomicLong();
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final ThrottledLog refreshLog = new ThrottledLog(LOG, Duration.ofSeconds(60));
    private final ThrottledLog readLog = new ThrottledLog(LOG, Duration.ofSeconds(30));
    private volatile KafkaTopic.Snapshot snapshot = KafkaTopic.Snapshot.NONE;
    private volatile Map<String, Map<Integer, Long>> groupOffsets = Map.of();
    private volatile int partitions;
    private volatile boolean ready;
    private volatile boolean closed;
    private long refreshes;

    private KafkaJournal(Options<T> options, Admin admin, KafkaProducer<byte[], byte[]> producer) {
        this.options = options;
        this.where = "topic " + options.topic() + " at " + options.client().get("bootstrap.servers");
        this.admin = admin;
        this.topic = new KafkaTopic(admin, options.topic());
        this.producer = producer;
        this.browser = new KafkaBrowser<>(options.topic(), options.codec(),
                () -> new KafkaConsumer<>(KafkaClients.browser(options)));
        Object delivery = KafkaClients.producer(options).get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        this.deliveryTimeoutMs = Long.parseLong(String.valueOf(delivery).strip());
        this.backlog = new KafkaBacklog(KafkaClients.BACKLOG_BYTES, Duration.ofMillis(deliveryTimeoutMs), new Resend());
    }

    /**
     * Connects, makes sure the topic exists (creating it when it does not), and starts refreshing its
     * offsets. When Kafka does not answer within {@code startupWait} the journal starts anyway,
     * degraded: appends fail at once (counted, logged) until the topic is confirmed.
     *
     * @param options how
     * @return the open journal
     * @throws JournalOpenException when a setting is refused by Kafka's clients, or Kafka refuses the
     *                              credentials or the topic
     */
    public static <T> KafkaJournal<T> open(Options<T> options) {
        Admin admin = null;
        KafkaProducer<byte[], byte[]> producer = null;
        try {
            admin = Admin.create(KafkaClients.admin(options));
            producer = new KafkaProducer<>(KafkaClients.producer(options));
        } catch (KafkaException e) {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            throw new JournalOpenException("the Kafka journal cannot be set up: " + scrub(KafkaErrors.describe(e),
                    options.secrets()), e);
        }
        KafkaJournal<T> journal = new KafkaJournal<>(options, admin, producer);
        try {
            journal.start();
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        return journal;
    }

    private void start() {
        long deadline = System.nanoTime() + options.startupWait().toNanos();
        KafkaTopic.Unavailable last = null;
        while (!ready) {
            try {
                confirmTopic(Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofMillis(100).toNanos())));
            } catch (KafkaTopic.Unavailable e) {
                if (KafkaErrors.isRefusal(e.kafkaError())) {
                    throw new JournalOpenException("Kafka refused the journal (" + where + "): " + scrub(e.getMessage())
                            + "; check journal.sasl_* / ssl_* and the ACLs (DESCRIBE, CREATE, READ and WRITE on the"
                            + " topic; READ on the groups " + options.groupPrefix() + "*)", e);
                }
                last = e;
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
                sleep(Duration.ofMillis(500));
            }
        }
        if (!ready) {
            LOG.log(Level.WARNING, "journal: Kafka does not answer (" + where + ": " + scrub(last.getMessage())
                    + "); the proxy starts anyway and keeps trying every second");
            degrade("Kafka (" + where + ") is not reachable");
        } else {
            refresh();
        }
        housekeeping.scheduleWithFixedDelay(this::refresh, 1, 1, TimeUnit.SECONDS);
    }

    /** Makes sure the topic exists; logs what it is. */
    private void confirmTopic(Duration timeout) throws KafkaTopic.Unavailable {
        KafkaTopic.Description d = topic.ensure(options.partitions(), options.replicationFactor(), options.topicConfigs(),
                timeout);
        partitions = d.partitions();
        try {
            producer.partitionsFor(options.topic()); // the producer's metadata, so the first append does not wait for it
        } catch (KafkaException e) {
            throw new KafkaTopic.Unavailable(KafkaErrors.describe(e), e);
        }
        ready = true;
        String acks = KafkaClients.acks(options.durability());
        LOG.log(Level.INFO, "journal: Kafka " + where + " (" + d.partitions() + " partitions, replication factor "
                + d.replicas() + ", min.insync.replicas " + d.minInsyncReplicas() + "); durability "
                + options.durability().wireName() + ": acks=" + acks + ", answers wait up to "
                + options.appendTimeout().toMillis() + " ms for it");
        if (options.durability() == Durability.FSYNC && (d.replicas() < 2 || "1".equals(d.minInsyncReplicas()))) {
            LOG.log(Level.WARNING, "journal: durability fsync (acks=all) on a topic with replication factor "
                    + d.replicas() + " and min.insync.replicas " + d.minInsyncReplicas() + ": an acknowledged record"
                    + " may be on one broker only");
        }
    }

    /** Every second: the topic's offsets, the open cursors' groups, and the topic itself until it is confirmed. */
    private void refresh() {
        try {
            if (!ready) {
                confirmTopic(CALL);
                if (degraded.compareAndSet(true, false)) {
                    LOG.log(Level.INFO, "journal: Kafka is reachable now (" + where + "); answers wait for their record again");
                }
            }
            refreshes++;
            if (refreshes % 30 == 0) {
                partitions = topic.partitions(); // partitions may be added
            }
            snapshot = topic.snapshot(partitions, snapshot, refreshes % 10 == 1);
            List<String> groups = readers.values().stream().map(KafkaReader::group).toList();
            groupOffsets = topic.committed(groups);
        } catch (KafkaTopic.Unavailable e) {
            refreshLog.log(Level.WARNING, held -> "journal: cannot read the Kafka journal's offsets (" + where + ": "
                    + scrub(e.getMessage()) + "); lags and sizes show the last values read" + ThrottledLog.heldBack(held));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "journal: refreshing the Kafka journal's offsets failed", e);
        }
    }

    @Override
    public Append append(T value) {
        Objects.requireNonNull(value, "value is null");
        if (closed) {
            throw new JournalClosedException("the journal is closed");
        }
        long start = System.nanoTime();
        KafkaAppend append = new KafkaAppend(this, start, options.appendTimeout());
        byte[] bytes;
        byte[] key;
        try {
            bytes = options.codec().encode(value);
            key = options.key().apply(value).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            failed(append, "the record could not be encoded: " + e.getMessage(), e);
            return append;
        }
        recordSize(bytes.length);
        KafkaBacklog.Parked record = new KafkaBacklog.Parked(key, bytes, append, start);
        if (!ready) {
            park(record, "it has not been reachable since the proxy started");
        } else if (backlog.active()) {
            park(record, null); // behind the records already waiting
        } else {
            try {
                send(record);
            } catch (TimeoutException e) {
                // send() waited max.block.ms for the topic's metadata or for buffer space
                park(record, KafkaErrors.describe(e));
            } catch (IllegalStateException e) {
                if (closed) {
                    throw new JournalClosedException("the journal is closed");
                }
                failed(append, KafkaErrors.appendFailure(e, where), e);
            } catch (KafkaException e) {
                failed(append, KafkaErrors.appendFailure(e, where), e);
            }
        }
        if (options.durability() == Durability.MEMORY) {
            append.complete(-1); // fire and forget; a later failure is still counted
        }
        return append;
    }

    /**
     * Hands a record to the producer.
     *
     * @throws TimeoutException when the producer did not take it: it waited {@code max.block.ms} for the
     *                          topic's metadata (lost around a broker restart) or for buffer space
     */
    private void send(KafkaBacklog.Parked r) {
        Callback callback = new Callback(r);
        producer.send(new ProducerRecord<>(options.topic(), r.key(), r.value()), callback);
        callback.returned();
    }

    /** The producer's answer for one record; one that comes before {@code send} returned is the producer refusing it now. */
    private final class Callback implements org.apache.kafka.clients.producer.Callback {
        private final KafkaBacklog.Parked record;
        private volatile boolean inSend = true;
        private TimeoutException notTaken;

        Callback(KafkaBacklog.Parked record) {
            this.record = record;
        }

        @Override
        public void onCompletion(RecordMetadata md, Exception e) {
            if (inSend && e instanceof TimeoutException t) {
                notTaken = t; // the producer never took it: retried from the backlog, not a loss yet
                return;
            }
            sent(record.append(), record.startNanos(), md, e);
        }

        void returned() {
            inSend = false;
            if (notTaken != null) {
                throw notTaken;
            }
        }
    }

    /** The producer did not take the record: it waits in the backlog (answers stop waiting for Kafka meanwhile). */
    private void park(KafkaBacklog.Parked r, String why) {
        if (why != null) {
            degrade("Kafka (" + where + ") is not taking records: " + scrub(why));
        }
        if (!backlog.park(r)) {
            failed(r.append(), "the records waiting for Kafka (" + where + ") already fill "
                    + LocalJournal.human(KafkaClients.BACKLOG_BYTES) + " of memory", null);
        }
    }

    /** The backlog's side: hands parked records to the producer once it takes them. */
    private final class Resend implements KafkaBacklog.Sender {
        @Override
        public boolean send(KafkaBacklog.Parked r) {
            if (!ready) {
                return false;
            }
            try {
                KafkaJournal.this.send(r);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (KafkaException | IllegalStateException e) {
                failed(r.append(), KafkaErrors.appendFailure(e, where), e);
                return true;
            }
        }

        @Override
        public void giveUp(KafkaBacklog.Parked r, String reason) {
            failed(r.append(), reason + " (" + where + ")", null);
        }
    }

    private void sent(KafkaAppend append, long start, RecordMetadata md, Exception e) {
        if (e == null) {
            appended.increment();
            options.observer().written(1, System.nanoTime() - start);
            append.complete(md.hasOffset() ? KafkaOffsets.address(md.partition(), md.offset()) : -1);
            if (degraded.compareAndSet(true, false)) {
                LOG.log(Level.INFO, "journal: Kafka acknowledges appends again (" + where + "); answers wait for their"
                        + " record again");
            }
        } else {
            if (e instanceof TimeoutException) {
                degrade("Kafka (" + where + ") did not take records within delivery.timeout.ms");
            }
            failed(append, KafkaErrors.appendFailure(e, where), e);
        }
    }

    private void failed(KafkaAppend append, String reason, Throwable cause) {
        String safe = scrub(reason);
        failures.increment();
        options.observer().writeFailed(1, safe);
        append.fail(new JournalWriteException(safe, cause));
    }

    /** An append's wait ran out: answers stop waiting for Kafka until it acknowledges again. */
    void notAcknowledgedInTime() {
        degrade("Kafka (" + where + ") did not acknowledge an append within append_timeout ("
                + options.appendTimeout().toMillis() + " ms)");
    }

    /** Answers stop waiting for Kafka until it acknowledges again; says so once. */
    private void degrade(String why) {
        if (degraded.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "journal: " + why + ": answers stop waiting for it until it acknowledges again."
                    + " Their records wait in memory (at most " + LocalJournal.human(KafkaClients.BACKLOG_BYTES)
                    + " here plus the producer's buffer.memory) and go out when Kafka is back; a record still unsent"
                    + " after delivery.timeout.ms (" + deliveryTimeoutMs / 1000 + " s) is counted as lost");
        }
    }

    /** @return whether Kafka is known not to acknowledge: appends' waits end at once */
    boolean degraded() {
        return degraded.get();
    }

    @Override
    public JournalReader<T> open(String name, StartFrom startFrom) {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(startFrom, "startFrom is null");
        checkOpen();
        if (readers.containsKey(name)) {
            throw new IllegalStateException("cursor '" + name + "' already has an open reader");
        }
        Map<Integer, Long> head = Map.of();
        if (startFrom == StartFrom.HEAD && partitions > 0) {
            try {
                head = topic.ends(partitions);
            } catch (KafkaTopic.Unavailable e) {
                // the head is asked again when partitions are assigned
            }
        }
        String group = options.groupOf(name);
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(KafkaClients.consumer(options, group, name));
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read the Kafka journal for '" + name + "': "
                    + scrub(KafkaErrors.describe(e)), e);
        }
        KafkaReader<T> reader = new KafkaReader<>(this, name, group, startFrom, head, consumer);
        if (readers.putIfAbsent(name, reader) != null) {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
            throw new IllegalStateException("cursor '" + name + "' already has an open reader");
        }
        reader.start();
        housekeeping.execute(this::refresh); // its group's offsets, for lag, at once
        return reader;
    }

    void readerClosed(KafkaReader<T> reader) {
        readers.remove(reader.name(), reader);
    }

    /**
     * The destinations' consumer groups on this topic: those this replica reads (open) and those Kafka
     * lists under the group prefix. {@code committed} is the sum of the group's committed offsets (see
     * {@link KafkaOffsets}); {@code lastUsed} is now for an open cursor, else when the offsets were read.
     */
    @Override
    public List<CursorInfo> cursors() {
        Map<String, Map<Integer, Long>> committed = new HashMap<>();
        try {
            committed.putAll(topic.committed(topic.groups(options.groupPrefix())));
        } catch (KafkaTopic.Unavailable e) {
            committed.putAll(groupOffsets);
        }
        List<CursorInfo> out = new ArrayList<>();
        Instant now = Instant.now();
        committed.forEach((group, offsets) -> {
            String name = group.substring(options.groupPrefix().length());
            KafkaReader<T> r = readers.get(name);
            if (r != null) {
                out.add(new CursorInfo(name, r.committed(), true, Instant.ofEpochMilli(r.lastUsed())));
            } else if (!offsets.isEmpty()) {
                out.add(new CursorInfo(name, offsets.values().stream().mapToLong(Long::longValue).sum(), false, now));
            }
        });
        readers.forEach((name, r) -> {
            if (!committed.containsKey(options.groupOf(name))) {
                out.add(new CursorInfo(name, r.committed(), true, Instant.ofEpochMilli(r.lastUsed())));
            }
        });
        return out;
    }

    /** Deletes the destination's consumer group; refused while a replica still reads it. */
    @Override
    public void deleteCursor(String name) {
        if (readers.containsKey(name)) {
            throw new IllegalStateException("cursor '" + name + "' has an open reader; close it first");
        }
        try {
            topic.deleteGroup(options.groupOf(name));
        } catch (KafkaTopic.Unavailable e) {
            if (e.kafkaError() instanceof GroupIdNotFoundException) {
                return;
            }
            if (e.kafkaError() instanceof GroupNotEmptyException) {
                throw new IllegalStateException("cursor '" + name + "' is still read by another replica (Kafka group "
                        + options.groupOf(name) + ")");
            }
            throw new IllegalStateException("cannot delete cursor '" + name + "': " + scrub(e.getMessage()), e);
        }
    }

    /**
     * Reads from an address onwards (see {@link KafkaOffsets}): the rest of its partition, then the next
     * partitions. Bounded by entries, bytes and ten seconds; empty (with a WARN) when Kafka does not answer.
     */
    @Override
    public List<Entry<T>> read(long fromOffset, int maxEntries, long maxBytes) {
        checkOpen();
        int p = partitions;
        if (p == 0 || maxEntries < 1) {
            return List.of();
        }
        try {
            return browser.read(fromOffset, p, maxEntries, maxBytes, CALL, partition -> corrupt(1));
        } catch (KafkaException e) {
            readLog.log(Level.WARNING, held -> "journal: reading the Kafka journal failed (" + where + ": "
                    + scrub(KafkaErrors.describe(e)) + ")" + ThrottledLog.heldBack(held));
            return List.of();
        }
    }

    /**
     * The address of the first record at or after {@code time}: with one partition, its offset (or the
     * end); with several, the earliest such record of all partitions, and when there is none an address
     * past every partition ({@code seek} moves every partition to its end).
     *
     * @throws IllegalStateException when Kafka does not answer
     */
    @Override
    public long offsetAt(Instant time) {
        checkOpen();
        int p = partitions;
        if (p == 0) {
            return 0;
        }
        try {
            Map<Integer, ListOffsetsResultInfo> at = topic.offsetsAt(time, p);
            if (p == 1) {
                ListOffsetsResultInfo info = at.get(0);
                return info != null && info.offset() >= 0 ? info.offset() : topic.ends(1).get(0);
            }
            int best = -1;
            long bestTime = Long.MAX_VALUE;
            for (int i = 0; i < p; i++) {
                ListOffsetsResultInfo info = at.get(i);
                if (info != null && info.offset() >= 0 && info.timestamp() < bestTime) {
                    best = i;
                    bestTime = info.timestamp();
                }
            }
            return best < 0 ? KafkaOffsets.address(p, 0) : KafkaOffsets.address(best, at.get(best).offset());
        } catch (KafkaTopic.Unavailable e) {
            throw new IllegalStateException("the Kafka journal does not answer (" + where + "): " + scrub(e.getMessage()), e);
        }
    }

    /** Where a seek to {@code address} moves each partition (see {@link KafkaReader.SeekPlan}). */
    KafkaReader.SeekPlan seekPlan(long address) {
        int p = Math.max(1, partitions);
        int partition = KafkaOffsets.partition(address);
        long offset = KafkaOffsets.offset(address);
        if (p == 1) {
            return new KafkaReader.SeekPlan(1, 0, partition == 0 ? offset : KafkaOffsets.MAX_OFFSET, -1);
        }
        if (partition >= p) {
            return new KafkaReader.SeekPlan(p, partition, 0, -1);
        }
        long time = -1;
        try {
            time = browser.timestampAt(partition, offset, CALL);
        } catch (KafkaException e) {
            LOG.log(Level.WARNING, "journal: cannot read the time of the record at offset {0} ({1}); the other"
                    + " partitions move to their end", address, scrub(KafkaErrors.describe(e)));
        }
        return new KafkaReader.SeekPlan(p, partition, offset, time);
    }

    /**
     * @return {@code kind} kafka; size = bytes on the brokers (one replica per partition, refreshed every
     *         10 s); segments = the topic's partitions; offsets = sums over the partitions (see
     *         {@link KafkaOffsets}); appended = records Kafka acknowledged from this replica since it started
     */
    @Override
    public JournalStats stats() {
        KafkaTopic.Snapshot s = snapshot;
        return new JournalStats("kafka", options.durability().wireName(), Math.max(0, s.sizeBytes()), s.partitions(),
                s.beginSum(), s.endSum(), s.oldestTimestamp() < 0 ? Optional.empty()
                        : Optional.of(Instant.ofEpochMilli(s.oldestTimestamp())), appended.sum(), failures.sum());
    }

    /**
     * Closes the readers still open, then the producer: records it still holds get ten seconds to go
     * out; what does not is counted as a write failure.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        new ArrayList<>(readers.values()).forEach(KafkaReader::close);
        housekeeping.shutdownNow();
        backlog.close(ready ? Duration.ofSeconds(5) : Duration.ZERO);
        try {
            producer.close(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "journal: closing the Kafka producer: " + scrub(KafkaErrors.describe(e)));
        }
        browser.close();
        admin.close(Duration.ofSeconds(5));
    }

    // ---- for readers and appends ----

    String topic() {
        return options.topic();
    }

    boolean isClosed() {
        return closed;
    }

    KafkaTopic.Snapshot snapshot() {
        return snapshot;
    }

    Map<Integer, Long> groupOffsets(String group) {
        return groupOffsets.getOrDefault(group, Map.of());
    }

    /** @return the value, or null when the bytes do not decode (counted as corrupt by the caller) */
    T decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return options.codec().decode(bytes);
        } catch (RuntimeException e) {
            return null;
        }
    }

    void corrupt(int entries) {
        options.observer().corrupt(entries, options.topic());
    }

    void dropped(String cursor, long entries, String reason) {
        options.observer().dropped(cursor, entries, reason);
    }

    void recordSize(int bytes) {
        if (sizeCount.incrementAndGet() > 1_000_000) {
            sizeCount.set(1);
            sizeTotal.set(averageRecordBytes());
        }
        sizeTotal.addAndGet(bytes);
    }

    /** @return the mean size of the records seen (appended or read), for lag in bytes; 1 KiB before any */
    long averageRecordBytes() {
        long n = sizeCount.get();
        return n == 0 ? 1024 : Math.max(1, sizeTotal.get() / n);
    }

    String scrub(String text) {
        return scrub(text, options.secrets());
    }

    private static String scrub(String text, List<String> secrets) {
        String out = text == null ? "" : text;
        for (String s : secrets) {
            if (!s.isEmpty()) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }

    private void checkOpen() {
        if (closed) {
            throw new JournalClosedException("the journal is closed");
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "KafkaJournal[" + where + "]";
    }
}
