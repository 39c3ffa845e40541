package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.plugin.elasticsearch.ElasticsearchRest;
import dev.llmhub.plugin.elasticsearch.ElasticsearchServer;
import dev.llmhub.testsupport.kafka.KafkaBroker;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's Kafka journal through {@code bin/llmhub}: two replicas of the proxy on one Kafka journal
 * (the suite's real KRaft broker) with the Elasticsearch destination (the suite's real Elasticsearch,
 * behind a switchable {@link Outage}). N calls spread over both give N documents, each delivered once
 * by one of them; the broker killed and restarted mid-traffic loses no answered call; one replica
 * SIGKILLed mid-traffic while Elasticsearch is unreachable loses nothing either: once Elasticsearch is
 * back, the survivor indexes every call either replica answered ({@code x-llmhub-call-id}).
 */
class KafkaJournalIT {
    private static final Duration DELIVERY = Duration.ofSeconds(180);
    private static final String MASTER_KEY = "sk-journal-e2e-master-Pw7Qz1";

    private static KafkaBroker broker;

    @RegisterExtension
    static final ElasticsearchServer es = ElasticsearchServer.shared();
    private static final ElasticsearchRest rest = new ElasticsearchRest(es.url());

    @BeforeAll
    static void broker() {
        broker = KafkaBroker.shared();
    }

    @AfterAll
    static void leaveTheBrokerRunning() {
        if (broker != null) {
            broker.start(); // other classes share it
        }
    }

    /** Two replicas' config: the same topic and groups, the Elasticsearch destination at {@code esUrl}. */
    static String config(String esUrl, String index, String topic) {
        return """
                model_list:
                  - model_name: replicated
                    litellm_params:
                      model: mock/replicated
                      mock_response: "Two replicas, one journal."
                """ + ConfigYaml.elasticsearchOnly(esUrl, index, "100ms") + """
                general_settings:
                  master_key: %s
                  durability: process
                  journal:
                    kind: kafka
                    bootstrap_servers: %s
                    topic: %s
                    group_prefix: %s-
                    partitions: 4
                    append_timeout: 2s
                """.formatted(MASTER_KEY, broker.bootstrapServers(), topic, topic);
    }

    @Test
    void twoReplicasDeliverEachCallOnceAndABrokerRestartLosesNone(@TempDir Path a, @TempDir Path b) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String index = "llmhub-journal-e2e-" + run;
        String topic = "llmhub-journal-e2e-" + run;
        Instant testStart = Instant.now();
        try (Outage elasticsearch = new Outage(es.url()).up();
             ProxyProcess one = ProxyProcess.start(a, config(elasticsearch.url(), index, topic), null, Map.of());
             ProxyProcess two = ProxyProcess.start(b, config(elasticsearch.url(), index, topic), null, Map.of())) {
            assertTrue(one.output().contains("journal:      kafka topic " + topic), one.output());
            long started = System.nanoTime();
            awaitShared(one, two);
            System.out.printf("kafka journal, two replicas: partitions shared %d ms after both answered%n", millisSince(started));

            // N calls spread over both: N documents, each exported once by one of the replicas.
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                ids.add(call(i % 2 == 0 ? one : two, i));
            }
            one.await("60 documents", DELIVERY, () -> present(index, ids) == ids.size());
            one.await("the exports counted", DELIVERY, () -> exported(one) + exported(two) >= ids.size());
            assertEquals(ids.size(), exported(one) + exported(two), "each call exported once, by one replica");
            assertTrue(exported(one) > 0 && exported(two) > 0, "both replicas delivered: " + exported(one) + " + " + exported(two));

            // The topic holds the documented call records, keyed by call id, and no secret.
            List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(topic, Duration.ofSeconds(60));
            assertEquals(ids.size(), records.size());
            for (ConsumerRecord<byte[], byte[]> r : records) {
                JsonNode record = JSON.readTree(r.value());
                assertEquals(new String(r.key(), StandardCharsets.UTF_8), record.path("id").asText(), "key = call id");
                assertEquals(1, record.path("schema_version").asInt(), record.toString());
                assertEquals("[REDACTED]", record.path("headers").path("authorization").asText(), record.toString());
                assertFalse(new String(r.value(), StandardCharsets.UTF_8).contains(MASTER_KEY), "a secret reached the topic");
            }

            // The broker killed (SIGKILL) and restarted while both replicas keep answering.
            Set<String> answered = ConcurrentHashMap.newKeySet();
            List<String> failures = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            long restarted;
            Thread traffic = Thread.ofPlatform().name("journal-e2e-traffic").start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        answered.add(call(i % 2 == 0 ? one : two, i));
                    } catch (AssertionError | RuntimeException e) {
                        synchronized (failures) {
                            failures.add(e.toString());
                        }
                    }
                }
            });
            try {
                one.await("traffic", DELIVERY, () -> answered.size() >= 30);
                broker.kill();
                int atKill = answered.size();
                one.await("calls answered while the broker is down", DELIVERY, () -> answered.size() >= atKill + 40);
                HttpResponse<String> refused = replay(one, testStart);
                assertEquals(503, refused.statusCode(), "replay while Kafka does not answer: " + refused.body());
                assertTrue(refused.body().contains("journal_unavailable"), refused.body());
                broker.start();
                restarted = System.nanoTime();
                int atRestart = answered.size();
                one.await("calls after the restart", DELIVERY, () -> answered.size() >= atRestart + 40);
                System.out.printf("kafka journal, broker SIGKILL: %d calls answered while it was down (restart took %d ms)%n",
                        atRestart - atKill, broker.lastStartTime().toMillis());
            } finally {
                stop.set(true);
                traffic.join();
            }
            synchronized (failures) {
                assertEquals(List.of(), failures, "no call failed because the journal's broker was down");
            }
            one.await("every call answered around the restart in Elasticsearch", DELIVERY,
                    () -> present(index, answered) == answered.size());
            System.out.printf("kafka journal, broker SIGKILL: every answered call indexed %d ms after the broker was ready%n",
                    millisSince(restarted));
            assertEquals(0.0, metric(one, "llmhub_journal_write_failures_total") + metric(two, "llmhub_journal_write_failures_total"),
                    "no record lost on the way to Kafka");

            // Replay through the admin API: the asked replica reads its partitions again from that time;
            // Elasticsearch keeps one document per call (create by call id: the copies are duplicates).
            double before = exported(one);
            HttpResponse<String> replayed = replay(one, testStart);
            assertEquals(200, replayed.statusCode(), replayed.body());
            one.await("the replayed records exported again", DELIVERY, () -> exported(one) > before);
            assertEquals(answered.size() + ids.size(), rest.count(index), "still one document per call");
            System.out.printf("kafka journal, two replicas: %d + %d calls, exported %.0f + %.0f%n", ids.size(),
                    answered.size(), exported(one), exported(two));
        }
    }

    @Test
    void aReplicaKilledWhileElasticsearchIsDownLosesNothing(@TempDir Path a, @TempDir Path b) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String index = "llmhub-journal-kill-" + run;
        String topic = "llmhub-journal-kill-" + run;
        try (Outage elasticsearch = new Outage(es.url());
             ProxyProcess doomed = ProxyProcess.start(a, config(elasticsearch.url(), index, topic), null, Map.of());
             ProxyProcess survivor = ProxyProcess.start(b, config(elasticsearch.url(), index, topic), null, Map.of())) {
            awaitShared(doomed, survivor);
            Set<String> answered = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                answered.add(call(i % 2 == 0 ? doomed : survivor, i));
            }
            survivor.await("the lanes failing to reach Elasticsearch", DELIVERY,
                    () -> metricFor(doomed, "retried") > 0 && metricFor(survivor, "retried") > 0);
            doomed.kill(); // mid-traffic: its batches in flight were never acknowledged
            long killed = System.nanoTime();
            for (int i = 40; i < 80; i++) {
                answered.add(call(survivor, i));
            }
            assertEquals(80, answered.size());
            elasticsearch.up();
            survivor.await("every answered call indexed by the survivor", DELIVERY,
                    () -> present(index, answered) == answered.size());
            System.out.printf("kafka journal, replica SIGKILL: every answered call indexed %d ms after the kill%n", millisSince(killed));
            assertEquals(answered, documentIds(index), "exactly the answered calls, each once");
            assertEquals(0.0, metricFor(survivor, "dropped") + metricFor(survivor, "failed"));
            System.out.printf("kafka journal, replica SIGKILL with Elasticsearch down: %d calls answered, %d indexed,"
                    + " %.0f exported by the survivor%n", answered.size(), documentIds(index).size(), exported(survivor));
        }
    }

    // --- helpers ---

    private static HttpResponse<String> replay(ProxyProcess proxy, Instant from) {
        return proxy.post("/admin/destinations/elasticsearch/replay?from=" + from, "", "Authorization", "Bearer " + MASTER_KEY);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** One call; it must be answered and name its record. @return the call id */
    private static String call(ProxyProcess proxy, int i) {
        HttpResponse<String> r = proxy.post("/v1/chat/completions", """
                {"model": "replicated", "user": "u%d", "messages": [{"role": "user", "content": "call %d"}]}"""
                .formatted(i % 3, i), "Content-Type", "application/json", "Authorization", "Bearer " + MASTER_KEY);
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().firstValue("x-llmhub-call-id").orElseThrow(() -> new AssertionError("no x-llmhub-call-id"));
    }

    /** Waits until both replicas read a share of the destination's partitions (one handed some to the other). */
    private static void awaitShared(ProxyProcess first, ProxyProcess second) {
        String reads = "journal: destination 'elasticsearch' now also reads partitions";
        String hands = "journal: destination 'elasticsearch' hands partitions";
        first.await("the destination's partitions shared by both replicas", DELIVERY,
                () -> first.output().contains(reads) && second.output().contains(reads)
                        && (first.output().contains(hands) || second.output().contains(hands)));
    }

    private static long present(String index, Collection<String> ids) {
        rest.post("/" + index + "/_refresh", null);
        JsonNode r = rest.post("/" + index + "/_count", "{\"query\": {\"ids\": {\"values\": " + JSON.valueToTree(ids) + "}}}");
        return r.path("count").asLong(-1);
    }

    private static Set<String> documentIds(String index) {
        rest.post("/" + index + "/_refresh", null);
        Set<String> out = new HashSet<>();
        for (JsonNode h : rest.search(index, "{\"size\": 10000, \"query\": {\"match_all\": {}}}").path("hits").path("hits")) {
            assertTrue(out.add(h.path("_source").path("id").asText()), "twice: " + h.path("_id").asText());
        }
        return out;
    }

    private static double exported(ProxyProcess proxy) {
        return metricFor(proxy, "exported");
    }

    private static double metricFor(ProxyProcess proxy, String outcome) {
        return Math.max(0, new PrometheusScrape(proxy.get("/metrics").body()).value("llmhub_destination_records_total",
                "destination", "elasticsearch", "outcome", outcome));
    }

    private static double metric(ProxyProcess proxy, String name) {
        return Math.max(0, new PrometheusScrape(proxy.get("/metrics").body()).value(name));
    }
}
