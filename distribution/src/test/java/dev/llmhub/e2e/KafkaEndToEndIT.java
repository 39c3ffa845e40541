package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static dev.llmhub.e2e.Texts.closedPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.testsupport.kafka.KafkaBroker;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 from the outside: the assembled distribution ({@code bin/llmhub}) with the {@code kafka}
 * destination, producing into a real single-node KRaft broker. N calls give N messages keyed by their
 * call ids whose values are the documented call records; the broker killed (SIGKILL) and restarted in
 * the middle of traffic loses no call (duplicates, which at-least-once delivery allows, are counted and
 * printed).
 *
 * <p>One proxy and one topic for the class; each test tags its calls ({@code metadata.tags}) and looks
 * only at its own messages.
 */
class KafkaEndToEndIT {
    private static final String TOPIC = "llmhub-e2e-calls";
    private static final String MASTER_KEY = "sk-kafka-e2e-master-Hw3Zr8";
    private static final String UPSTREAM_KEY = "sk-kafka-e2e-upstream-Qp6Ld2";
    private static final Duration DELIVERY = Duration.ofSeconds(120);

    @TempDir
    static Path work;
    private static KafkaBroker broker;
    @AutoClose
    private static ProxyProcess proxy;

    @BeforeAll
    static void startBrokerAndProxy() {
        broker = KafkaBroker.shared();
        broker.createTopic(TOPIC, 3);
        String config = """
                model_list:
                  - model_name: e2e-kafka
                    litellm_params:
                      model: mock/kafka
                      mock_response: "Kafka answers."
                """ + ConfigYaml.unreachableModel("e2e-broken", "broken", closedPort(), UPSTREAM_KEY)
                + ConfigYaml.only("kafka", "bootstrap_servers: " + broker.bootstrapServers(), "topic: " + TOPIC,
                        "flush_interval: 100ms", "export_timeout: 10s", "retry_initial_backoff: 100ms", "retry_max_backoff: 1s")
                + """
                general_settings:
                  master_key: %s
                """.formatted(MASTER_KEY);
        proxy = ProxyProcess.start(work, config, null, Map.of());
    }

    @AfterAll
    static void leaveTheBrokerRunning() {
        if (broker != null) {
            broker.start(); // other end-to-end classes in this JVM share it
        }
    }

    @Test
    void nCallsGiveNMessagesKeyedByTheirCallIdsWhoseValuesAreTheCallRecords() throws IOException {
        String tag = "kafka-e2e-n";
        // Streamed answers carry the call id in a header (x-llmhub-call-id); failed calls are found by status.
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (int i = 0; i < 35; i++) {
            HttpResponse<String> r = chat(tag, "e2e-kafka", i);
            assertEquals(200, r.statusCode(), r.body());
            ids.add(r.headers().firstValue("x-llmhub-call-id").orElseThrow());
        }
        int failed = 5;
        for (int i = 0; i < failed; i++) {
            HttpResponse<String> r = chat(tag, "e2e-broken", i);
            assertEquals(502, r.statusCode(), r.body());
        }

        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = awaitMessages(tag, ids, ids.size() + failed);
        assertEquals(ids.size() + failed, byKey.size(), "one key per call");
        int failures = 0;
        for (Map.Entry<String, List<ConsumerRecord<byte[], byte[]>>> e : byKey.entrySet()) {
            assertEquals(1, e.getValue().size(), "messages for call " + e.getKey());
            ConsumerRecord<byte[], byte[]> m = e.getValue().get(0);
            JsonNode record = JSON.readTree(m.value());
            assertEquals(e.getKey(), record.path("id").asText(), "the key is the record's id");
            assertEquals(1, record.path("schema_version").asInt());
            String status = ids.contains(e.getKey()) ? "success" : "failure";
            failures += status.equals("failure") ? 1 : 0;
            assertEquals(status, record.path("status").asText(), record.toString());
            assertEquals(ids.contains(e.getKey()) ? "e2e-kafka" : "e2e-broken", record.path("model").asText());
            assertEquals(record.path("model").asText(), header(m, "model"));
            assertEquals(status, header(m, "status"));
            assertTrue(record.path("start_time").isTextual() && record.path("usage").isObject() && record.path("attempts").isArray(),
                    record.toString());
            assertEquals("[REDACTED]", record.path("headers").path("authorization").asText(), record.toString());
        }
        assertEquals(failed, failures, "failed calls among the messages");
        String everything = new String(concat(broker.readAll(TOPIC, Duration.ofSeconds(60))), StandardCharsets.UTF_8);
        for (String secret : List.of(MASTER_KEY, UPSTREAM_KEY)) {
            assertFalse(everything.contains(secret), "a secret reached the topic");
            assertFalse(proxy.output().contains(secret), "a secret is in the proxy's output");
        }
    }

    @Test
    void theBrokerKilledAndRestartedMidTrafficLosesNoCall() throws Exception {
        String tag = "kafka-e2e-outage";
        double retriedBefore = Math.max(0, laneCount("retried"));
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<String> failures = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread traffic = Thread.ofPlatform().name("kafka-e2e-traffic").start(() -> {
            for (int i = 0; !stop.get() && i < 20_000; i++) {
                String failed;
                try {
                    HttpResponse<String> r = chat(tag, "e2e-kafka", i);
                    if (r.statusCode() == 200) {
                        ids.add(r.headers().firstValue("x-llmhub-call-id").orElseThrow());
                        continue;
                    }
                    failed = r.statusCode() + " " + r.body();
                } catch (RuntimeException e) {
                    failed = e.toString();
                }
                synchronized (failures) {
                    failures.add(failed);
                }
            }
        });
        try {
            awaitCalls(ids, 50);
            broker.kill();
            int atKill = ids.size();
            // The broker is gone: clients keep being answered, exports fail and are retried.
            awaitCalls(ids, atKill + 50);
            proxy.await("an export to the killed broker to be retried", DELIVERY, () -> laneCount("retried") > retriedBefore);
            broker.start();
            System.out.println("broker back after " + broker.lastStartTime().toMillis() + " ms; " + (ids.size() - atKill)
                    + " calls answered while it was down");
            awaitCalls(ids, ids.size() + 50);
        } finally {
            stop.set(true);
            traffic.join();
        }
        synchronized (failures) {
            assertEquals(List.of(), failures, "client calls failed during the outage");
        }

        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = awaitMessages(tag, ids, ids.size());
        List<String> missing = ids.stream().filter(id -> !byKey.containsKey(id)).toList();
        assertEquals(List.of(), missing, "calls without a message (of " + ids.size() + ")");
        assertEquals(ids, byKey.keySet(), "messages of calls no client was answered for");
        Map<String, Integer> duplicates = new TreeMap<>();
        byKey.forEach((id, ms) -> {
            if (ms.size() > 1) {
                duplicates.put(id, ms.size());
            }
        });
        PrometheusScrape m = proxy.metrics();
        System.out.printf("kafka broker SIGKILL mid-traffic: %d calls, %d messages, %d distinct call ids, %d duplicated"
                + " (%s); lane retried=%.0f failed=%.0f dropped=%.0f%n", ids.size(),
                byKey.values().stream().mapToInt(List::size).sum(), byKey.size(), duplicates.size(), duplicates,
                m.records("kafka", "retried"), m.records("kafka", "failed"), m.records("kafka", "dropped"));
        assertEquals(0.0, Math.max(0, laneCount("failed")), "records given up:\n" + m);
        assertEquals(0.0, Math.max(0, laneCount("dropped")), "records dropped:\n" + m);
    }

    // --- calls ---

    /** A streamed call (its answer's headers carry the call id) for the mock model, a plain one for the broken one. */
    private static HttpResponse<String> chat(String tag, String model, int i) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("stream", !model.equals("e2e-broken"));
        body.putArray("messages").addObject().put("role", "user").put("content", "call " + i);
        body.put("user", "user-" + (i % 3));
        body.putObject("metadata").putArray("tags").add(tag);
        return proxy.post("/v1/chat/completions", body.toString(), "Content-Type", "application/json",
                "Authorization", "Bearer " + MASTER_KEY);
    }

    private static void awaitCalls(Set<String> ids, int atLeast) {
        proxy.await(atLeast + " answered calls", DELIVERY, () -> ids.size() >= atLeast);
    }

    // --- what landed ---

    /**
     * Waits until every id has a message and at least {@code keys} calls have one, then returns this
     * tag's messages by key (several per key when a retry wrote one twice).
     */
    private static Map<String, List<ConsumerRecord<byte[], byte[]>>> awaitMessages(String tag, Set<String> ids, int keys) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new LinkedHashMap<>();
        proxy.await(keys + " calls tagged " + tag + " in " + TOPIC, DELIVERY, () -> {
            byKey.clear();
            byKey.putAll(tagged(tag));
            return byKey.keySet().containsAll(ids) && byKey.size() >= keys && lag() == 0;
        });
        return byKey;
    }

    private static Map<String, List<ConsumerRecord<byte[], byte[]>>> tagged(String tag) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> m : broker.readAll(TOPIC, Duration.ofSeconds(60))) {
            JsonNode record;
            try {
                record = JSON.readTree(m.value());
            } catch (IOException e) {
                throw new AssertionError("a message value is not JSON: " + new String(m.value(), StandardCharsets.UTF_8), e);
            }
            boolean ours = false;
            for (JsonNode t : record.path("metadata").path("tags")) {
                ours |= tag.equals(t.asText());
            }
            if (ours) {
                byKey.computeIfAbsent(new String(m.key(), StandardCharsets.UTF_8), k -> new ArrayList<>()).add(m);
            }
        }
        return byKey;
    }

    private static String header(ConsumerRecord<byte[], byte[]> m, String name) {
        return new String(m.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] concat(List<ConsumerRecord<byte[], byte[]>> messages) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        messages.forEach(m -> out.writeBytes(m.value()));
        return out.toByteArray();
    }

    // --- the proxy's own view ---

    private static double laneCount(String outcome) {
        return proxy.metrics().records("kafka", outcome);
    }

    private static double lag() {
        return proxy.metrics().lag("kafka");
    }
}
