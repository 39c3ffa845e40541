package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static dev.llmhub.e2e.Texts.closedPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.plugin.elasticsearch.ElasticsearchRest;
import dev.llmhub.plugin.elasticsearch.ElasticsearchServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's checks through {@code bin/llmhub} and the suite's real Elasticsearch: records answered
 * while Elasticsearch is down survive a SIGKILL and a SIGTERM of the proxy and arrive, each once, when
 * both are back; the disk cap drops (and counts) only what it must, for the destination that is
 * behind; a torn and a corrupted journal still start and deliver every intact record.
 */
class DurableDeliveryIT {
    private static final String INDEX = "llmhub-durable-calls";
    private static final Duration DELIVERY = Duration.ofSeconds(120);

    @RegisterExtension
    static final ElasticsearchServer es = ElasticsearchServer.shared();
    private static final ElasticsearchRest rest = new ElasticsearchRest(es.url());

    /** A mock model and the Elasticsearch destination at {@code esUrl}, retrying fast; {@code extra} is appended. */
    static String config(String esUrl, String extra) {
        return """
                model_list:
                  - model_name: durable
                    litellm_params:
                      model: mock/durable
                      mock_response: "Durable answers are written down before they are sent."

                """ + ConfigYaml.elasticsearchOnly(esUrl, INDEX, "100ms") + extra + "\n";
    }

    @Test
    void callsAnsweredDuringAnOutageSurviveASigkillAndASigterm(@TempDir Path killed, @TempDir Path stopped) {
        Set<String> answered = new LinkedHashSet<>();
        es.stop();
        try {
            ProxyProcess crash = ProxyProcess.start(killed, config(es.url(), ""), null, Map.of());
            answered.addAll(calls(crash, 40, "sigkill"));
            crash.kill();

            ProxyProcess graceful = ProxyProcess.start(stopped, config(es.url(), ""), null, Map.of());
            answered.addAll(calls(graceful, 40, "sigterm"));
            assertEquals(0, graceful.stop(), "SIGTERM exits 0\n" + graceful.output());
            assertTrue(graceful.output().contains("lane 'elasticsearch': 40 record(s) stay in the journal for the next start"),
                    graceful.output());
        } finally {
            es.start();
        }
        assertEquals(80, answered.size(), "distinct call ids answered");

        try (ProxyProcess again = ProxyProcess.start(killed, config(es.url(), ""), null, Map.of());
             ProxyProcess again2 = ProxyProcess.start(stopped, config(es.url(), ""), null, Map.of())) {
            again.await("every answered call in Elasticsearch", DELIVERY, () -> present(answered) == answered.size());
            assertExactlyOnce(answered);
            assertEquals(0.0, lane(again, "dropped") + lane(again2, "dropped"), "nothing dropped");
            assertEquals(0.0, lane(again, "failed") + lane(again2, "failed"), "nothing failed");
        }
    }

    @Test
    void theDiskCapDropsOnlyWhatTheLaggingDestinationMissesAndCountsIt(@TempDir Path work) throws IOException {
        Path jsonl = work.resolve("calls.jsonl");
        String capped = """
                  file:
                    path: %s
                    flush_interval: 50ms
                general_settings:
                  journal:
                    max_disk: 96KiB
                    segment_size: 16KiB
                """.formatted(jsonl);
        try (Outage elasticsearch = new Outage(es.url());
             ProxyProcess proxy = ProxyProcess.start(work, config(elasticsearch.url(), capped)
                     .replace("callbacks: [\"elasticsearch\"]", "callbacks: [\"elasticsearch\", \"file\"]"), null, Map.of())) {
            List<String> ids = calls(proxy, 300, "cap"); // Elasticsearch is unreachable meanwhile
            proxy.await("the file destination to have every record", DELIVERY, () -> lines(jsonl) == ids.size());
            proxy.await("the cap to force records out for elasticsearch, counted", DELIVERY, () -> lane(proxy, "dropped") > 0);
            assertEquals(0.0, Math.max(0, proxy.metrics().records("file", "dropped")),
                    "the destination that kept up lost nothing");
            assertTrue(proxy.output().contains("lane 'elasticsearch': ") && proxy.output().contains("max_disk"),
                    "a WARN names the lane and the cap\n" + proxy.output());

            elasticsearch.up(); // back: what the journal kept arrives
            proxy.await("the kept records in Elasticsearch", DELIVERY, () -> lane(proxy, "lag_records") == 0
                    && present(ids) + lane(proxy, "dropped") == ids.size());
            double dropped = lane(proxy, "dropped");
            assertEquals(ids.size() - (long) dropped, present(ids), "delivered = answered - dropped, exactly");
            assertEquals(0.0, lane(proxy, "failed"));
            System.out.printf("disk cap: %d calls, %.0f dropped for elasticsearch (counted, logged), %d delivered, "
                    + "0 lost for file%n", ids.size(), dropped, present(ids));
        }
    }

    @Test
    void aTornTailAndAFlippedByteStillDeliverEveryIntactRecord(@TempDir Path work) throws IOException {
        List<String> ids;
        try (ProxyProcess proxy = ProxyProcess.start(work, config("http://127.0.0.1:" + closedPort(), ""), null, Map.of())) {
            ids = calls(proxy, 50, "corrupt");
            proxy.kill();
        }
        List<Path> segments = segments(work.resolve("data"));
        assertTrue(!segments.isEmpty(), "no journal segment under " + work.resolve("data"));
        Path last = segments.get(segments.size() - 1);
        Path first = segments.get(0);
        long size = Files.size(last);
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(size - 100); // the last entry loses its end, as a crash mid-write would leave it
        }
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
            long at = Files.size(first) / 3;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5A);
        }
        try (ProxyProcess proxy = ProxyProcess.start(work, config(es.url(), ""), null, Map.of())) {
            proxy.await("the intact records in Elasticsearch", DELIVERY,
                    () -> lane(proxy, "lag_records") == 0 && present(ids) == ids.size() - 2);
            String out = proxy.output();
            assertTrue(out.contains("torn write"), "the torn tail is reported\n" + out);
            assertTrue(out.contains("corrupt"), "the corrupt entry is reported\n" + out);
            assertEquals(1.0, new PrometheusScrape(proxy.get("/metrics").body())
                    .value("llmhub_journal_truncated_entries_total"), "one torn entry cut");
            assertEquals(1.0, new PrometheusScrape(proxy.get("/metrics").body())
                    .value("llmhub_journal_corrupt_entries_total"), "one corrupt entry skipped");
        }
    }

    // --- helpers ---

    /** Sends {@code n} calls; each must succeed and name its record; returns the call ids. */
    static List<String> calls(ProxyProcess proxy, int n, String tag) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = proxy.post("/v1/chat/completions", """
                    {"model": "durable", "user": "u%d", "metadata": {"tags": ["%s"]},
                     "messages": [{"role": "user", "content": "call %d"}]}""".formatted(i % 3, tag, i),
                    "Content-Type", "application/json");
            assertEquals(200, r.statusCode(), r.body());
            ids.add(r.headers().firstValue("x-llmhub-call-id").orElseThrow(() -> new AssertionError("no x-llmhub-call-id")));
        }
        return ids;
    }

    private static long present(java.util.Collection<String> ids) {
        rest.post("/" + INDEX + "/_refresh", null);
        JsonNode r = rest.post("/" + INDEX + "/_count", "{\"query\": {\"ids\": {\"values\": "
                + JSON.valueToTree(ids) + "}}}");
        return r.path("count").asLong(-1);
    }

    private static void assertExactlyOnce(Set<String> ids) {
        rest.post("/" + INDEX + "/_refresh", null);
        JsonNode hits = rest.search(INDEX, "{\"size\": 10000, \"query\": {\"ids\": {\"values\": "
                + JSON.valueToTree(ids) + "}}}").path("hits").path("hits");
        Set<String> seen = new HashSet<>();
        for (JsonNode h : hits) {
            assertTrue(seen.add(h.path("_source").path("id").asText()), "twice: " + h.path("_id").asText());
        }
        assertEquals(ids, seen, "documents = answered calls");
    }

    private static double lane(ProxyProcess proxy, String what) {
        return what.equals("lag_records") ? proxy.metrics().lag("elasticsearch")
                : Math.max(0, proxy.metrics().records("elasticsearch", what));
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count() : 0;
        } catch (IOException e) {
            return 0; // being written
        }
    }

    static List<Path> segments(Path dataDir) throws IOException {
        try (Stream<Path> s = Files.walk(dataDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }
}
