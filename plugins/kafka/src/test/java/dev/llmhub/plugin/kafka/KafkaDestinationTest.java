package dev.llmhub.plugin.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.TestPluginContext;
import dev.llmhub.testsupport.kafka.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The destination against a real single-node KRaft broker (one per test JVM). */
class KafkaDestinationTest {
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.shared();
    }

    @Test
    void everyRecordBecomesOneMessageKeyedByItsCallIdWithTheRecordJsonAndModelAndStatusHeaders() {
        String topic = "dest-format";
        broker.createTopic(topic, 3);
        TestPluginContext ctx = context(Map.of("topic", topic));
        List<CallRecord> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(SampleRecords.seedSuccess().model(i % 2 == 0 ? "gpt-4o" : "gpt-4o-mini").build());
        }
        for (int i = 0; i < 5; i++) {
            batch.add(SampleRecords.rateLimitedFailure().build());
        }
        try (Destination d = new KafkaDestinationFactory().create(ctx)) {
            assertEquals(ExportResult.success(), d.export(batch));
        }

        Map<String, CallRecord> byId = new HashMap<>();
        batch.forEach(r -> byId.put(r.id(), r));
        List<ConsumerRecord<byte[], byte[]>> messages = broker.readAll(topic, Duration.ofSeconds(30));
        assertEquals(batch.size(), messages.size());
        for (ConsumerRecord<byte[], byte[]> m : messages) {
            CallRecord r = byId.remove(new String(m.key(), StandardCharsets.UTF_8));
            assertTrue(r != null, "a message whose key is no call id of the batch, or a second one");
            assertEquals(ctx.toJson(r), new String(m.value(), StandardCharsets.UTF_8), "the value is the record's JSON");
            assertArrayEquals(r.model().getBytes(StandardCharsets.UTF_8), m.headers().lastHeader("model").value());
            assertArrayEquals(r.status().wireName().getBytes(StandardCharsets.UTF_8), m.headers().lastHeader("status").value());
            assertEquals(r.startTime().toEpochMilli(), m.timestamp());
        }
        assertTrue(byId.isEmpty(), "records without a message: " + byId.keySet());
        assertEquals(3, messages.stream().map(ConsumerRecord::partition).distinct().count(), "keys spread over the partitions");
        assertFalse(ctx.logger().lines().stream().anyMatch(l -> l.startsWith("WARNING")), ctx.logger().lines().toString());
    }

    @Test
    void acksOneDeliversWithoutIdempotence() {
        String topic = "dest-acks1";
        TestPluginContext ctx = context(Map.of("topic", topic, "acks", 1, "compression", "lz4"));
        List<CallRecord> batch = records(30);
        try (Destination d = new KafkaDestinationFactory().create(ctx)) {
            assertEquals(ExportResult.success(), d.export(batch));
        }
        assertEquals(30, broker.recordCount(topic));
        assertTrue(ctx.logger().lines().stream().anyMatch(l -> l.contains("not idempotent")), ctx.logger().lines().toString());
    }

    @Test
    void concurrentExportsShareOneProducerAndDeliverEveryRecordOnce() throws Exception {
        String topic = "dest-concurrent";
        broker.createTopic(topic, 2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<CallRecord> all = new ArrayList<>();
        try (Destination d = new KafkaDestinationFactory().create(context(Map.of("topic", topic)))) {
            List<Future<ExportResult>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                List<CallRecord> batch = records(50);
                all.addAll(batch);
                results.add(pool.submit(() -> d.export(batch)));
            }
            for (Future<ExportResult> f : results) {
                assertEquals(ExportResult.success(), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Integer> seen = keyCounts(topic);
        assertEquals(all.size(), seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "a record written twice");
    }

    @Test
    void aBrokerNobodyListensOnIsARetryableErrorWithinTheExportTimeout() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Duration exportTimeout = Duration.ofSeconds(6);
        TestPluginContext ctx = TestPluginContext.of("kafka", Map.of("bootstrap_servers", "127.0.0.1:" + closed,
                "export_timeout", "6s"), Map.of());
        long producersBefore = producerThreads();
        try (Destination d = new KafkaDestinationFactory().create(ctx)) {
            // The producer (and its network thread) is made on the first export, not in create.
            assertEquals(producersBefore, producerThreads(), "creating the destination must not start a producer");
            Instant start = Instant.now();
            ExportResult r = d.export(records(50));
            Duration took = Duration.between(start, Instant.now());
            ExportResult.Retryable retry = assertInstanceOf(ExportResult.Retryable.class, r, r.toString());
            assertTrue(retry.reason().contains("127.0.0.1:" + closed) && retry.reason().contains("metadata"), retry.reason());
            assertTrue(took.compareTo(exportTimeout) < 0, "the export took " + took + ", more than export_timeout");
            // The second export fails the same way and does not log it again.
            assertInstanceOf(ExportResult.Retryable.class, d.export(records(5)));
        }
        assertEquals(1, ctx.logger().lines().stream().filter(l -> l.startsWith("WARNING")).count(), ctx.logger().lines().toString());
    }

    @Test
    void aBootstrapNameThatDoesNotResolveIsRetryableNotAStartupFailure() {
        TestPluginContext ctx = TestPluginContext.of("kafka", Map.of("bootstrap_servers", "kafka.no-such-host.invalid:9092",
                "export_timeout", "6s"), Map.of());
        try (Destination d = new KafkaDestinationFactory().create(ctx)) {
            ExportResult.Retryable r = assertInstanceOf(ExportResult.Retryable.class, d.export(records(3)));
            assertTrue(r.reason().contains("kafka.no-such-host.invalid:9092") && r.reason().contains("resolvable"), r.reason());
        }
    }

    @Test
    void aRecordTooLargeIsRejectedForGoodAndTheRestOfTheBatchIsDelivered() {
        String topic = "dest-too-large";
        TestPluginContext ctx = context(Map.of("topic", topic, "producer.max.request.size", 8192));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("blob", "x".repeat(20_000));
        CallRecord huge = SampleRecords.seedSuccess().metadata(metadata).build();
        List<CallRecord> batch = new ArrayList<>(records(10));
        batch.add(4, huge);
        try (Destination d = new KafkaDestinationFactory().create(ctx)) {
            ExportResult.Partial p = assertInstanceOf(ExportResult.Partial.class, d.export(batch));
            assertEquals(List.of(huge.id()), List.copyOf(p.failures().keySet()));
            ExportResult.Permanent why = assertInstanceOf(ExportResult.Permanent.class, p.failures().get(huge.id()));
            assertTrue(why.reason().contains("too large") && why.reason().contains("max.request.size"), why.reason());
        }
        assertEquals(10, broker.recordCount(topic));
        assertEquals(1, ctx.metrics().count("messages_rejected"));
    }

    @Test
    void aBrokerThatIsDownIsRetryableAndTheRetryAfterItCameBackDeliversEveryRecordOnce() {
        String topic = "dest-outage";
        broker.createTopic(topic, 2);
        TestPluginContext ctx = context(Map.of("topic", topic, "export_timeout", "6s"));
        try (Destination d = new KafkaDestinationFactory().create(ctx)) {
            assertEquals(ExportResult.success(), Exports.asTheLaneWould(d, records(10)));
            List<CallRecord> during = records(20);
            broker.kill();
            ExportResult r;
            try {
                r = d.export(during);
            } finally {
                broker.start();
            }
            // Every record of the batch failed retryably (nothing can be written while the broker is down).
            List<CallRecord> retry = failedRetryably(during, r);
            assertEquals(during.size(), retry.size(), r.toString());
            assertEquals(ExportResult.success(), d.export(retry), "the retry once the broker is back");
        }
        Map<String, Integer> seen = keyCounts(topic);
        assertEquals(30, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "a record written twice: " + seen);
        assertTrue(ctx.logger().lines().stream().anyMatch(l -> l.contains("takes messages again")), ctx.logger().lines().toString());
    }

    private static List<CallRecord> failedRetryably(List<CallRecord> batch, ExportResult r) {
        if (r instanceof ExportResult.Retryable) {
            return batch;
        }
        ExportResult.Partial p = assertInstanceOf(ExportResult.Partial.class, r);
        return batch.stream().filter(c -> p.failures().get(c.id()) instanceof ExportResult.Retryable).toList();
    }

    private static Map<String, Integer> keyCounts(String topic) {
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> m : broker.readAll(topic, Duration.ofSeconds(60))) {
            seen.merge(new String(m.key(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        return seen;
    }

    static TestPluginContext context(Map<String, ?> settings) {
        Map<String, Object> all = new LinkedHashMap<>();
        // Room for a cold producer on a busy 2-core machine to get its first metadata (max.block.ms 10 s).
        all.put("export_timeout", "60s");
        all.putAll(settings);
        all.put("bootstrap_servers", broker.bootstrapServers());
        return TestPluginContext.of("kafka", all, Map.of());
    }

    static List<CallRecord> records(int n) {
        List<CallRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SampleRecords.seedSuccess().build());
        }
        return out;
    }

    private static long producerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("kafka-producer-network-thread")).count();
    }
}
