package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.plugin.elasticsearch.ElasticsearchRest;
import dev.llmhub.plugin.elasticsearch.ElasticsearchServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's live configuration, through {@code bin/llmhub} under steady traffic: destinations added to
 * the YAML start delivering (one backfilling the journal with {@code start_from: earliest}), a re-tuned
 * one takes its new settings, a removed one stops, a broken edit keeps the running config, a re-added
 * one resumes where it stopped — and no client call fails.
 */
class LiveConfigIT {
    private static final String KEY = "sk-live-config-Vq3w";
    private static final String INDEX = "llmhub-live-config";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static String config(String destinations, String settings) {
        return """
                model_list:
                  - model_name: live
                    litellm_params:
                      model: mock/live
                      mock_response: "Configs change while calls go on."
                litellm_settings:
                  callbacks: [%s]
                callback_settings:
                %s
                general_settings:
                  master_key: %s
                """.formatted(destinations, settings, KEY);
    }

    private static String file(Path path) {
        return """
                  file:
                    path: %s
                    flush_interval: 50ms
                """.formatted(path);
    }

    private static String es(String url, String startFrom) {
        return """
                  elasticsearch:
                    url: %s
                    index: %s
                    flush_interval: 100ms
                    start_from: %s
                """.formatted(url, INDEX, startFrom);
    }

    @Test
    void destinationsComeGoAndChangeUnderTrafficWithoutAFailedCall(@TempDir Path work) throws Exception {
        ElasticsearchServer es = ElasticsearchServer.shared();
        ElasticsearchRest rest = new ElasticsearchRest(es.url());
        Path first = work.resolve("first.jsonl");
        Path second = work.resolve("second.jsonl");
        try (ProxyProcess proxy = ProxyProcess.start(work, config("\"file\"", file(first)), null, Map.of());
             ChatTraffic traffic = new ChatTraffic(proxy.url(), KEY, "live", 2, 1_000_000, Duration.ofMinutes(5))) {
            proxy.await("traffic", WAIT, () -> traffic.succeeded() >= 50);

            // Added, backfilling: every record the journal holds, from before it existed too.
            Set<String> before = traffic.callIds();
            proxy.rewriteConfig(work, config("\"file\", \"elasticsearch\"", file(first) + es(es.url(), "earliest")));
            proxy.await("elasticsearch to backfill what came before it", WAIT, () -> present(rest, before) == before.size());
            assertTrue(lastReload(proxy).path("changes").toString().contains("destination added: elasticsearch"),
                    lastReload(proxy).toString());

            // Re-tuned: the file destination moves to another path.
            proxy.rewriteConfig(work, config("\"file\", \"elasticsearch\"", file(second) + es(es.url(), "earliest")));
            proxy.await("records in the new file", WAIT, () -> lines(second) >= 20);
            long firstAfterRetune = lines(first);
            proxy.await("more records in the new file", WAIT, () -> lines(second) >= 60);
            assertEquals(firstAfterRetune, lines(first), "the old file no longer grows");

            // A broken edit: refused with file, line and key; the running config stays and keeps delivering.
            proxy.rewriteConfig(work, config("\"file\", \"elasticsearch\"", file(second) + es(es.url(), "earliest"))
                    .replace("mock_response: \"Configs change while calls go on.\"", "mock_response: \"x\"\n      rpm: [1, 2]"));
            proxy.await("the broken edit to be refused", WAIT, () -> !lastReload(proxy).path("applied").asBoolean(true));
            String error = lastReload(proxy).path("error").asText();
            assertTrue(error.contains("config.yaml:") && error.contains("rpm"), error);
            long secondAtBreak = lines(second);
            proxy.await("delivery to go on under the old config", WAIT, () -> lines(second) > secondAtBreak + 20);

            // Removed: elasticsearch stops getting records; its cursor is kept.
            proxy.rewriteConfig(work, config("\"file\"", file(second)));
            proxy.await("the elasticsearch lane to go", WAIT, () -> !destinations(proxy).contains("\"elasticsearch\""));
            Set<String> gone = new HashSet<>(traffic.callIds());
            proxy.await("calls while elasticsearch is removed", WAIT, () -> traffic.callIds().size() >= gone.size() + 40);
            Set<String> whileRemoved = new HashSet<>(traffic.callIds());
            whileRemoved.removeAll(gone);
            proxy.await("the file to have them", WAIT, () -> fileIds(second).containsAll(whileRemoved));
            assertEquals(0, present(rest, whileRemoved), "a removed destination received records");

            // Re-added: it resumes at its cursor, so what came while it was gone arrives too.
            proxy.rewriteConfig(work, config("\"file\", \"elasticsearch\"", file(second) + es(es.url(), "head")));
            proxy.await("elasticsearch to catch up on what it missed", WAIT,
                    () -> present(rest, whileRemoved) == whileRemoved.size());

            traffic.close();
            assertEquals(List.of(), traffic.failures(), "client calls failed while the config changed");
            Set<String> all = traffic.callIds();
            proxy.await("every call in the files", WAIT, () -> {
                Set<String> ids = fileIds(first);
                ids.addAll(fileIds(second));
                return ids.containsAll(all);
            });
            System.out.printf("live config: %d calls, 0 failed; %d backfilled; %d delivered after re-adding%n",
                    all.size(), before.size(), whileRemoved.size());
        }
    }

    private static JsonNode lastReload(ProxyProcess proxy) {
        try {
            return JSON.readTree(proxy.get("/admin/config", "Authorization", "Bearer " + KEY).body()).path("last_reload");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String destinations(ProxyProcess proxy) {
        HttpResponse<String> r = proxy.get("/admin/destinations", "Authorization", "Bearer " + KEY);
        return r.body();
    }

    private static long present(ElasticsearchRest rest, Collection<String> ids) {
        rest.post("/" + INDEX + "/_refresh", null);
        return rest.post("/" + INDEX + "/_count", "{\"query\": {\"ids\": {\"values\": " + JSON.valueToTree(ids) + "}}}")
                .path("count").asLong(-1);
    }

    private static long lines(Path file) {
        return fileIds(file).size();
    }

    private static Set<String> fileIds(Path file) {
        Set<String> ids = new HashSet<>();
        try {
            if (!Files.exists(file)) {
                return ids;
            }
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    try {
                        ids.add(JSON.readTree(line).path("id").asText());
                    } catch (IOException partial) {
                        // a line being written
                    }
                }
            }
        } catch (IOException e) {
            // being rotated or written: the next look will tell
        }
        return ids;
    }
}
