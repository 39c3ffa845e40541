package dev.llmhub.core.journal;

import dev.llmhub.core.delivery.Waits;

import static dev.llmhub.core.journal.JournalContract.appendAll;
import static dev.llmhub.core.journal.JournalContract.range;
import static dev.llmhub.core.journal.JournalContract.take;
import static dev.llmhub.core.journal.JournalContract.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.testsupport.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka journal's contract against a real single-node KRaft broker (the suite's shared one): what
 * every journal promises ({@link JournalContract}), order, resuming at the committed position, seek,
 * read — and what only a shared
 * journal has: two replicas' readers sharing a destination's partitions, a rebalance that loses
 * nothing, a broker killed and restarted in the middle of appends. Every test uses topics and groups
 * of its own.
 */
class KafkaJournalTest implements JournalContract {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static KafkaBroker broker;

    @BeforeAll
    static void broker() {
        broker = KafkaBroker.shared();
    }

    final RecordingObserver observer = new RecordingObserver();

    /** A journal of strings keyed by themselves, on a fresh topic (created by the journal). */
    static KafkaJournal.Options<String> options(String topic, int partitions) {
        return KafkaJournal.Options.defaults(broker.bootstrapServers(), topic, new StringCodec(), v -> v)
                .withTopic(partitions, java.util.Optional.empty(), Map.of())
                .withGroupPrefix(topic + "-");
    }

    static String topic(String what) {
        return "journal-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The topic of the journal {@link #emptyJournal} opened last. */
    private String contractTopic;

    @Override
    public Journal<String> emptyJournal(String what, int partitions) {
        contractTopic = topic(what);
        return KafkaJournal.open(options(contractTopic, partitions));
    }

    /** Estimated: entries times the average record's size. */
    @Override
    public boolean lagBytesAreExact() {
        return false;
    }

    @Override
    public void committedIsKept(String cursor, long offset) {
        awaitCommittedInKafka(contractTopic + "-" + cursor, offset);
    }

    static void await(String what, BooleanSupplier condition) {
        Waits.until(WAIT, what, () -> "", condition);
    }

    /** What Kafka itself has as the group's committed offsets for the topic. */
    static Map<Integer, Long> committedInKafka(String group) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<Integer, Long> out = new ConcurrentHashMap<>();
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            offsets.forEach((tp, om) -> out.put(tp.partition(), om.offset()));
            return out;
        }
    }

    /** Waits until Kafka itself has {@code offset} as the group's committed offset of partition 0. */
    static void awaitCommittedInKafka(String group, long offset) {
        await("offset " + offset + " committed in Kafka", () -> {
            try {
                return Long.valueOf(offset).equals(committedInKafka(group).get(0));
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Polls and acknowledges until every value of {@code expected} is in {@code delivered}, or the wait ran out. */
    static void deliverAll(JournalReader<String> r, List<String> expected, Set<String> delivered) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!delivered.containsAll(expected) && System.nanoTime() < deadline) {
            List<Entry<String>> got = r.poll(100, 1 << 20, Duration.ofMillis(100));
            delivered.addAll(values(got));
            r.ack(got);
        }
    }

    @Test
    void appendedValuesAreReadInOrderAndTheTopicHoldsTheirBytesKeyedByTheirKey() throws Exception {
        String topic = topic("order");
        try (KafkaJournal<String> j = KafkaJournal.open(options(topic, 1).withObserver(observer))) {
            List<Append> appends = new ArrayList<>();
            for (String v : range("v", 0, 50)) {
                appends.add(j.append(v));
            }
            for (int i = 0; i < appends.size(); i++) {
                assertTrue(appends.get(i).await(WAIT));
                assertEquals(i, appends.get(i).offset(), "one partition: the address is Kafka's offset");
            }
            JournalReader<String> r = j.open("es", StartFrom.EARLIEST);
            List<Entry<String>> got = take(r, 50, true);
            assertEquals(range("v", 0, 50), values(got));
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i, got.get(i).offset());
                assertEquals(got.get(i).value().length(), got.get(i).encodedSize());
            }
            await("the cursor at the end", () -> r.committed() == 50 && r.lag().entries() == 0);
            assertEquals(50, r.position());
            awaitCommittedInKafka(topic + "-es", 50);
            assertEquals(50, observer.written.get(), "each acknowledgement observed");
            await("the stats", () -> j.stats().headOffset() == 50);
            JournalStats s = j.stats();
            assertEquals("kafka", s.kind());
            assertEquals("process", s.durability());
            assertEquals(1, s.segments(), "one partition");
            assertEquals(0, s.oldestOffset());
            assertEquals(50, s.appended());
            assertTrue(s.oldestTimestamp().isPresent());
        }
        List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(topic, WAIT);
        assertEquals(50, records.size());
        for (int i = 0; i < 50; i++) {
            assertEquals("v" + i, new String(records.get(i).key(), StandardCharsets.UTF_8), "key");
            assertEquals("v" + i, new String(records.get(i).value(), StandardCharsets.UTF_8), "value: the codec's bytes");
        }
    }

    @Test
    void aCursorResumesAtItsCommittedPositionAfterAReopenAndOnAnotherReplica() throws Exception {
        String topic = topic("resume");
        try (KafkaJournal<String> j = KafkaJournal.open(options(topic, 1))) {
            appendAll(j, range("v", 0, 20));
            JournalReader<String> r = j.open("es/prod \"eu\"", StartFrom.EARLIEST);
            List<Entry<String>> first = take(r, 5, true);
            take(r, 5, false); // read, never acknowledged: delivered again
            assertEquals(range("v", 0, 5), values(first));
            r.close();
            assertThrows(IllegalStateException.class, () -> r.poll(1, 100, Duration.ZERO));
            JournalReader<String> again = j.open("es/prod \"eu\"", StartFrom.HEAD);
            assertEquals(range("v", 5, 10), values(take(again, 5, true)));
            again.close();
        }
        // a new proxy process (another replica, or this one restarted) on the same topic
        try (KafkaJournal<String> other = KafkaJournal.open(options(topic, 1))) {
            JournalReader<String> r = other.open("es/prod \"eu\"", StartFrom.HEAD);
            assertEquals(range("v", 10, 20), values(take(r, 10, true)));
            assertTrue(other.cursors().stream().anyMatch(c -> c.name().equals("es/prod \"eu\"") && c.open()));
        }
    }

    @Test
    void twoReplicasShareADestinationsPartitionsAndDeliverEachRecordOnce() throws Exception {
        String topic = topic("share");
        try (KafkaJournal<String> a = KafkaJournal.open(options(topic, 4));
             KafkaJournal<String> b = KafkaJournal.open(options(topic, 4))) {
            KafkaReader<String> ra = (KafkaReader<String>) a.open("es", StartFrom.EARLIEST);
            KafkaReader<String> rb = (KafkaReader<String>) b.open("es", StartFrom.EARLIEST);
            await("the partitions shared by both", () -> ra.ownedPartitions().size() == 2 && rb.ownedPartitions().size() == 2);
            Set<Integer> union = new HashSet<>(ra.ownedPartitions());
            union.addAll(rb.ownedPartitions());
            assertEquals(Set.of(0, 1, 2, 3), union);

            List<String> sent = range("v", 0, 200);
            for (int i = 0; i < sent.size(); i++) {
                (i % 2 == 0 ? a : b).append(sent.get(i)).await(WAIT);
            }
            List<String> seenA = new ArrayList<>();
            List<String> seenB = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seenA.size() + seenB.size() < 200 && System.nanoTime() < deadline) {
                for (KafkaReader<String> r : List.of(ra, rb)) {
                    List<Entry<String>> got = r.poll(50, 1 << 20, Duration.ofMillis(50));
                    for (Entry<String> e : got) {
                        assertTrue(r.ownedPartitions().contains(KafkaOffsets.partition(e.offset())),
                                "a reader hands out only its own partitions");
                    }
                    (r == ra ? seenA : seenB).addAll(values(got));
                    r.ack(got);
                }
            }
            List<String> all = new ArrayList<>(seenA);
            all.addAll(seenB);
            assertEquals(200, all.size(), "each record delivered once");
            assertEquals(Set.copyOf(sent), Set.copyOf(all));
            assertFalse(seenA.isEmpty() || seenB.isEmpty(), "both replicas delivered");
            await("no lag left for the group", () -> ra.lag().entries() == 0 && rb.lag().entries() == 0);
            await("the group's position seen alike by both", () -> ra.committed() == 200 && rb.committed() == 200);
        }
    }

    @Test
    void aReplicaThatGoesAwayMidBatchLosesNothing() throws Exception {
        String topic = topic("rebalance");
        try (KafkaJournal<String> a = KafkaJournal.open(options(topic, 4));
             KafkaJournal<String> b = KafkaJournal.open(options(topic, 4))) {
            List<String> sent = range("v", 0, 120);
            appendAll(a, sent);
            KafkaReader<String> ra = (KafkaReader<String>) a.open("es", StartFrom.EARLIEST);
            // A reads everything, acknowledges only some, out of order, and keeps the rest in flight.
            List<Entry<String>> taken = take(ra, 120, false);
            List<Entry<String>> acked = new ArrayList<>();
            for (int i = 0; i < taken.size(); i++) {
                if (i % 3 == 1) {
                    acked.add(taken.get(i));
                }
            }
            ra.ack(acked);
            // B joins: two of A's partitions move to it (A's unacknowledged records there are not skipped).
            KafkaReader<String> rb = (KafkaReader<String>) b.open("es", StartFrom.EARLIEST);
            await("the partitions shared", () -> rb.ownedPartitions().size() == 2);
            Set<String> delivered = ConcurrentHashMap.newKeySet();
            acked.forEach(e -> delivered.add(e.value()));
            // A dies without acknowledging the rest: B must deliver all of it.
            ra.close();
            await("B owns every partition", () -> rb.ownedPartitions().size() == 4);
            deliverAll(rb, sent, delivered);
            assertEquals(Set.copyOf(sent), delivered, "every record delivered by A or B");
            await("B's cursor at the end", () -> rb.committed() == 120 && rb.lag().entries() == 0);
        }
    }

    @Test
    void aBrokerKilledAndRestartedMidAppendsLosesNothing() throws Exception {
        String topic = topic("crash");
        try (KafkaJournal<String> j = KafkaJournal.open(options(topic, 3).withAppendTimeout(Duration.ofSeconds(1))
                .withObserver(observer))) {
            List<String> sent = range("v", 0, 300);
            List<Append> appends = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                appends.add(j.append(sent.get(i)));
            }
            for (Append a : appends) {
                assertTrue(a.await(WAIT));
            }
            broker.kill();
            try {
                for (int i = 100; i < 200; i++) {
                    appends.add(j.append(sent.get(i)));
                }
                // The first wait runs into append_timeout; then answers no longer wait at all.
                long t0 = System.nanoTime();
                assertFalse(appends.get(100).await(WAIT), "not acknowledged while the broker is down");
                assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(30)) < 0,
                        "bounded by append_timeout (1 s), not by the caller's wait (60 s)");
                assertTrue(j.degraded());
                assertFalse(appends.get(150).await(WAIT), "degraded: the wait ends at once");
            } finally {
                broker.start();
            }
            for (int i = 200; i < 300; i++) {
                appends.add(j.append(sent.get(i)));
            }
            await("every append acknowledged", () -> appends.stream().allMatch(Append::isDone));
            for (int i = 0; i < appends.size(); i++) {
                int n = i;
                try {
                    assertTrue(appends.get(i).await(Duration.ZERO), "acknowledged, none failed");
                } catch (JournalWriteException e) {
                    throw new AssertionError("append " + n + " failed: " + e.getMessage(), e);
                }
            }
            assertFalse(j.degraded(), "acknowledged again");
            assertEquals(0, observer.writeFailed.get(), observer.lastFailure);
            JournalReader<String> r = j.open("es", StartFrom.EARLIEST);
            Set<String> read = new HashSet<>();
            deliverAll(r, sent, read);
            assertEquals(Set.copyOf(sent), read, "every value in the topic after the restart");
        }
    }

    @Test
    void whileKafkaCannotBeReachedAnswersDoNotWaitAndWhatIsGivenUpIsCounted() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        KafkaJournal.Options<String> o = KafkaJournal.Options.defaults("127.0.0.1:" + closedPort, topic("unreachable"),
                new StringCodec(), v -> v).withStartupWait(Duration.ofMillis(500)).withObserver(observer)
                .withProducer(Map.of("delivery.timeout.ms", "1500", "request.timeout.ms", "1000"));
        try (KafkaJournal<String> j = KafkaJournal.open(o)) {
            assertTrue(j.degraded(), "started without Kafka");
            Append a = j.append("lost");
            long t0 = System.nanoTime();
            assertFalse(a.await(WAIT), "not journaled");
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(30)) < 0,
                    "the answer does not wait for Kafka");
            await("the record given up after delivery.timeout.ms", a::isDone);
            JournalWriteException e = assertThrows(JournalWriteException.class, () -> a.await(WAIT));
            assertTrue(e.getMessage().contains("delivery.timeout.ms"), e.getMessage());
            assertEquals(1, observer.writeFailed.get(), "counted");
            assertEquals(1, j.stats().writeFailures());
            JournalReader<String> r = j.open("es", StartFrom.EARLIEST);
            assertTrue(r.poll(10, 1000, Duration.ofMillis(200)).isEmpty(), "lanes simply wait");
        }
    }

    @Test
    void seekOffsetAtAndReadWorkOnOneAndOnSeveralPartitions() throws Exception {
        for (int partitions : new int[] {1, 3}) {
            try (KafkaJournal<String> j = KafkaJournal.open(options(topic("seek" + partitions), partitions))) {
                JournalReader<String> r = j.open("es", StartFrom.EARLIEST);
                appendAll(j, range("early", 0, 6));
                List<Entry<String>> early = take(r, 6, true);
                long last = early.stream().mapToLong(Entry::timestampMillis).max().orElseThrow();
                while (System.currentTimeMillis() <= last) {
                    Thread.onSpinWait(); // the next records get a later time
                }
                Instant middle = Instant.now();
                appendAll(j, range("late", 0, 6));
                take(r, 6, true);

                long at = j.offsetAt(middle);
                if (partitions == 1) {
                    assertEquals(6, at, "one partition: Kafka's offset");
                }
                r.seek(at);
                assertEquals(Set.copyOf(range("late", 0, 6)), Set.copyOf(values(take(r, 6, true))), "replayed from the time");
                assertTrue(r.poll(10, 1000, Duration.ofMillis(300)).isEmpty());
                r.seek(j.offsetAt(Instant.now().plusSeconds(60)));
                assertTrue(r.poll(10, 1000, Duration.ofMillis(300)).isEmpty(), "past the last record: nothing");

                List<Entry<String>> all = j.read(0, 100, 1 << 20);
                assertEquals(12, all.size(), "read walks every partition");
                for (int i = 1; i < all.size(); i++) {
                    assertTrue(all.get(i).offset() > all.get(i - 1).offset(), "in address order");
                }
                List<Entry<String>> page1 = j.read(0, 5, 1 << 20);
                List<Entry<String>> page2 = j.read(page1.get(4).offset() + 1, 100, 1 << 20);
                assertEquals(5, page1.size());
                assertEquals(7, page2.size(), "paging from the last address + 1");
                assertEquals(1, j.read(0, 100, 1).size(), "at least one entry whatever maxBytes");
            }
        }
    }

    @Test
    void recordsRetentionRemovedAreCountedAsDroppedAndCorruptOnesSkipped() throws Exception {
        String topic = topic("retention");
        try (KafkaJournal<String> j = KafkaJournal.open(options(topic, 1).withObserver(observer))) {
            appendAll(j, range("v", 0, 10));
            JournalReader<String> r = j.open("es", StartFrom.EARLIEST);
            take(r, 2, true);
            r.close();
            // what retention does to old segments, done now
            try (Admin admin = broker.admin()) {
                admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(6))).all().get();
            }
            // a record another tool wrote that is not a journal value
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(topic, "x".getBytes(StandardCharsets.UTF_8), null)).get();
            }
            appendAll(j, List.of("after"));
            JournalReader<String> again = j.open("es", StartFrom.EARLIEST);
            assertEquals(List.of("v6", "v7", "v8", "v9", "after"), values(take(again, 5, true)));
            JournalReader.Dropped d = again.takeDropped();
            assertEquals(4, d.count(), "v2..v5 were removed before delivery");
            assertTrue(d.reason().contains("retention"), d.reason());
            assertEquals(1, again.takeCorrupt(), "the foreign record is skipped and counted");
            await("the cursor past all of it", () -> again.committed() == 12);
        }
    }
}
