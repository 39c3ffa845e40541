package dev.llmhub.e2e;

import static dev.llmhub.e2e.PluginsView.lane;
import static dev.llmhub.e2e.PluginsView.startedVersion;
import static dev.llmhub.e2e.Texts.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, item 5, from the outside: while clients call the real proxy without pause, the {@code file}
 * destination's zip is replaced by a new version (picked up by the directory watcher alone), then
 * removed (its lane holds the records, counted in the queue depth) and put back as a newer version
 * (applied by {@code POST /admin/plugins/reload}). No client call fails, and every call the clients
 * got an answer for is in the JSON-lines file exactly once.
 *
 * <p>A client's answer and its record are matched by the OpenAI response id: the record's
 * {@code response.id} is the {@code id} of the body the client received.
 */
class HotSwapUnderLoadIT {
    private static final String MASTER_KEY = "sk-swap-master-4711";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void swapsRemovesAndRestoresTheFilePluginWithoutAFailedCallOrALostRecord(@TempDir Path work) throws IOException {
        Path plugins = ProxyProcess.copyBundledPlugins(work);
        PluginZips.Releases releases = PluginZips.stageReleases(plugins, "file", work.resolve("staging"));
        Path jsonl = work.resolve("calls.jsonl");
        String config = ConfigYaml.SWAP_MODEL_LIST + """
                litellm_settings:
                  callbacks: ["file"]
                  callback_settings:
                    file:
                      path: '%s'
                      max_size: 1GB
                      flush_interval: 50ms
                      queue_size: 200000
                general_settings:
                  master_key: %s
                """.formatted(jsonl, MASTER_KEY);

        try (ProxyProcess proxy = ProxyProcess.start(work, config, plugins, Map.of())) {
            assertEquals(401, proxy.get("/admin/plugins").statusCode(), "the admin API answered without the master key");
            JsonNode before = admin(proxy);
            assertEquals(releases.originalVersion(), lane(before, "file").path("plugin_version").asText(), before.toString());

            String appliedBy;
            long heldRecords;
            ChatTraffic traffic = new ChatTraffic(proxy.url(), MASTER_KEY, "swap-model", 3, 200_000, Duration.ofSeconds(50));
            try (traffic) {
                traffic.awaitMore(proxy, 100, WAIT);

                // (a) A new version arrives and the old zip goes; only the directory watcher sees it.
                Path newZip = PluginZips.moveInto(releases.v011(), plugins);
                Files.delete(releases.original());
                proxy.await("the watcher to swap in file 0.1.1", WAIT, () -> {
                    JsonNode v = admin(proxy);
                    return "0.1.1".equals(startedVersion(v, "file"))
                            && "active".equals(lane(v, "file").path("state").asText())
                            && "0.1.1".equals(lane(v, "file").path("plugin_version").asText());
                });
                assertTrue(proxy.output().contains("plugin file 0.1.1 replaced " + releases.originalVersion()), proxy.output());
                long exportedAtSwap = lane(admin(proxy), "file").path("counters").path("exported").asLong();
                traffic.awaitMore(proxy, 100, WAIT);
                proxy.await("0.1.1 to export", WAIT,
                        () -> lane(admin(proxy), "file").path("counters").path("exported").asLong() > exportedAtSwap);

                // (b) The zip is removed: what keeps coming waits in the journal, counted in the lane's lag.
                Files.delete(newZip);
                proxy.await("the lane to wait and hold records", WAIT, () -> {
                    JsonNode l = lane(admin(proxy), "file");
                    return "waiting".equals(l.path("state").asText()) && l.path("lag").path("records").asLong() >= 50;
                });
                assertNull(startedVersion(admin(proxy), "file"), "a file plugin is still started after its zip was removed");
                double held = new PrometheusScrape(proxy.get("/metrics").body()).value("llmhub_destination_lag_records",
                        "destination", "file");
                assertTrue(held >= 50, "lag on /metrics while the plugin is gone: " + held);
                assertTrue(traffic.running(), "the clients stopped early");

                // ...and a zip comes back, applied by the admin call.
                PluginZips.moveInto(releases.v012(), plugins);
                HttpResponse<String> reload = proxy.post("/admin/plugins/reload", "", "Authorization", "Bearer " + MASTER_KEY);
                assertEquals(200, reload.statusCode(), reload.body());
                JsonNode after = JSON.readTree(reload.body());
                // The watcher may apply the same change in the same instant; either way the answer shows it done.
                assertEquals("0.1.2", startedVersion(after, "file"), reload.body());
                assertEquals("active", lane(after, "file").path("state").asText(), reload.body());
                assertEquals("0.1.2", lane(after, "file").path("plugin_version").asText(), reload.body());
                traffic.awaitMore(proxy, 100, WAIT);
                appliedBy = after.path("loaded").toString().contains("\"file\"") ? "the admin call" : "the watcher";
                heldRecords = (long) held;
            }

            assertEquals(List.of(), traffic.failures(), "client calls failed during the swaps");
            Set<String> ids = traffic.responseIds();
            proxy.await("every record exported", WAIT, () -> {
                JsonNode l = lane(admin(proxy), "file");
                return l.path("lag").path("records").asLong() == 0 && l.path("counters").path("exported").asLong() >= ids.size();
            });

            Map<String, Integer> lines = recordsByResponseId(jsonl);
            List<String> missing = ids.stream().filter(id -> !lines.containsKey(id)).limit(5).toList();
            List<String> twice = lines.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).limit(5).toList();
            assertEquals(List.of(), missing, "calls without a record (of " + ids.size() + ")");
            assertEquals(List.of(), twice, "records written more than once");
            assertEquals(ids, lines.keySet(), "records of calls no client got an answer for");

            String metrics = proxy.get("/metrics").body();
            assertEquals(0.0, new PrometheusScrape(metrics).value("llmhub_destination_records_total",
                    "destination", "file", "outcome", "dropped"), metrics);
            assertEquals(0.0, new PrometheusScrape(metrics).value("llmhub_destination_records_total",
                    "destination", "file", "outcome", "failed"), metrics);
            assertEquals(ids.size(), new PrometheusScrape(metrics).value("llmhub_destination_records_total",
                    "destination", "file", "outcome", "exported"), metrics);
            assertEquals(0.0, new PrometheusScrape(metrics).value("llmhub_destination_lag_records",
                    "destination", "file"), metrics);
            System.out.printf("hot swap under load: %d calls, 0 failed, %d records, each once; %d held while removed;"
                    + " put-back applied by %s%n", ids.size(), lines.size(), heldRecords, appliedBy);
        }
    }

    private static JsonNode admin(ProxyProcess proxy) {
        return PluginsView.fetch(proxy, MASTER_KEY);
    }

    /** @return how many lines of the file carry each OpenAI response id */
    private static Map<String, Integer> recordsByResponseId(Path jsonl) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.merge(JSON.readTree(line).path("response").path("id").asText(), 1, Integer::sum);
            }
        }
        return out;
    }
}
