package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.llmhub.plugin.elasticsearch.ElasticsearchRest;
import dev.llmhub.plugin.elasticsearch.ElasticsearchServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 60 s Elasticsearch outage at steady load (the server unreachable from the proxy, as a network or
 * node failure makes it; the server itself keeps running, so its restart time is not the test's),
 * the proxy capped at {@code -Xmx128m}: every answered
 * call is indexed once Elasticsearch is back, the backlog waits on disk rather than in the heap (the
 * process survives a backlog whose records would not fit in 128 MB as objects), and the latency a
 * client sees is printed before, during and after the outage (measured, not asserted: speed is the
 * benchmarks' job).
 */
class OutageUnderLoadIT {
    private static final String KEY = "sk-outage-Lw8p";
    private static final String INDEX = "llmhub-outage-calls";
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    @Test
    void aMinuteWithoutElasticsearchLosesNothingAndKeepsTheHeapBounded(@TempDir Path work) throws Exception {
        ElasticsearchServer es = ElasticsearchServer.shared();
        ElasticsearchRest rest = new ElasticsearchRest(es.url());
        String config = """
                model_list:
                  - model_name: steady
                    litellm_params:
                      model: mock/steady
                      mock_response: "A steady answer of a realistic length, so records weigh what real ones do."
                litellm_settings:
                  callbacks: ["elasticsearch"]
                callback_settings:
                  elasticsearch:
                    url: %%s
                    index: %s
                    flush_interval: 200ms
                    batch_size: 1000
                    retry_initial_backoff: 200ms
                    retry_max_backoff: 2s
                general_settings:
                  master_key: %s
                """.formatted(INDEX, KEY);
        try (Outage outage = new Outage(es.url()).up();
             ProxyProcess proxy = ProxyProcess.start(work, config.formatted(outage.url()), null,
                     Map.of("LLMHUB_JAVA_OPTS", "-Xmx128m"))) {
            Probe probe = new Probe(proxy.url());
            ChatTraffic traffic = new ChatTraffic(proxy.url(), KEY, "steady", 3, 10_000_000, Duration.ofMinutes(6));
            try {
                probe.sample("before", Duration.ofSeconds(10));
                outage.down();
                try {
                    probe.sample("during", OUTAGE);
                } finally {
                    outage.up();
                }
                PrometheusScrape atEnd = new PrometheusScrape(proxy.get("/metrics").body());
                probe.sample("after", Duration.ofSeconds(10));
                traffic.close();
                assertEquals(List.of(), traffic.failures(), "client calls failed during the outage\n" + proxy.output());
                Set<String> answered = traffic.callIds();
                proxy.await("every answered call in Elasticsearch", Duration.ofMinutes(4),
                        () -> present(rest, answered) == answered.size());
                PrometheusScrape end = new PrometheusScrape(proxy.get("/metrics").body());
                assertEquals(0.0, Math.max(0, end.value("llmhub_destination_records_total", "destination", "elasticsearch",
                        "outcome", "dropped")), "dropped");
                assertFalse(proxy.output().contains("OutOfMemoryError"), proxy.output());
                double backlog = atEnd.value("llmhub_destination_lag_records", "destination", "elasticsearch");
                double heap = atEnd.value("jvm_memory_used_bytes", "area", "heap");
                double journal = atEnd.value("llmhub_journal_size_bytes");
                System.out.printf("outage under load: %d calls, 0 failed, all indexed; backlog at the end of the outage "
                        + "%.0f records (journal %.1f MB) with %.1f MB of heap in use (-Xmx128m)%n%s", answered.size(),
                        backlog, journal / 1e6, heap / 1e6, probe.report());
            } finally {
                traffic.close();
            }
        }
    }

    private static long present(ElasticsearchRest rest, Collection<String> ids) {
        rest.post("/" + INDEX + "/_refresh", null);
        long total = 0;
        List<String> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += 5000) {
            List<String> part = all.subList(i, Math.min(all.size(), i + 5000));
            long c = rest.post("/" + INDEX + "/_count", "{\"query\": {\"ids\": {\"values\": " + JSON.valueToTree(part)
                    + "}}}").path("count").asLong(-1);
            if (c < 0) {
                return -1;
            }
            total += c;
        }
        return total;
    }

    /** One call every 100 ms beside the traffic, timed: what a client sees. */
    private static final class Probe {
        private final HttpClient client = HttpClient.newHttpClient();
        private final String url;
        private final StringBuilder report = new StringBuilder();

        Probe(String url) {
            this.url = url;
        }

        void sample(String phase, Duration length) throws Exception {
            List<Long> micros = new ArrayList<>();
            Instant end = Instant.now().plus(length);
            while (Instant.now().isBefore(end)) {
                HttpRequest r = HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"steady\",\"messages\":[{\"role\":\"user\",\"content\":\"probe\"}]}")).build();
                long t0 = System.nanoTime();
                HttpResponse<String> res = client.send(r, HttpResponse.BodyHandlers.ofString());
                micros.add((System.nanoTime() - t0) / 1000);
                assertEquals(200, res.statusCode(), res.body());
                Thread.sleep(100);
            }
            Collections.sort(micros);
            report.append(String.format("  %-6s %4d probes: p50 %.2f ms, p99 %.2f ms%n", phase, micros.size(),
                    micros.get(micros.size() / 2) / 1000.0, micros.get((int) (micros.size() * 0.99)) / 1000.0));
        }

        String report() {
            return report.toString();
        }
    }
}
