package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.testsupport.kafka.KafkaBroker;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kafka} plugin's zip replaced twice while clients call the proxy without pause: first by
 * the directory watcher alone (a new version dropped in, the old zip deleted), then by
 * {@code POST /admin/plugins/reload}. Each swap closes one producer (its network thread, its metrics)
 * and makes another in a new class loader. No client call fails, and every answered call has its
 * message in the topic; duplicates (at-least-once) are counted and printed.
 */
class KafkaHotSwapUnderLoadIT {
    private static final String MASTER_KEY = "sk-kafka-swap-master-2718";
    private static final String TOPIC = "llmhub-swap-calls";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void swapsTheKafkaPluginTwiceUnderLoadWithoutAFailedCallOrALostMessage(@TempDir Path work) throws IOException {
        KafkaBroker broker = KafkaBroker.shared();
        broker.createTopic(TOPIC, 3);
        Path plugins = ProxyProcess.copyBundledPlugins(work);
        PluginZips.Releases releases = PluginZips.stageReleases(plugins, "kafka", work.resolve("staging"));
        String config = ConfigYaml.SWAP_MODEL_LIST + """
                litellm_settings:
                  callbacks: ["kafka"]
                  callback_settings:
                    kafka:
                      bootstrap_servers: %s
                      topic: %s
                      flush_interval: 50ms
                      queue_size: 200000
                general_settings:
                  master_key: %s
                """.formatted(broker.bootstrapServers(), TOPIC, MASTER_KEY);

        try (ProxyProcess proxy = ProxyProcess.start(work, config, plugins, Map.of())) {
            assertEquals(releases.originalVersion(), lane(admin(proxy)).path("plugin_version").asText());
            ChatTraffic traffic = new ChatTraffic(proxy.url(), MASTER_KEY, "swap-model", 3, 200_000, Duration.ofSeconds(150));
            try (traffic) {
                traffic.awaitMore(proxy, 100, WAIT);

                // (a) A new version arrives and the old zip goes; only the directory watcher sees it.
                PluginZips.moveInto(releases.v011(), plugins);
                Files.delete(releases.original());
                awaitActive(proxy, "0.1.1");
                long exportedAtSwap = exported(proxy);
                traffic.awaitMore(proxy, 100, WAIT);
                proxy.await("0.1.1 to export", WAIT, () -> exported(proxy) > exportedAtSwap);

                // (b) Another version, applied by the admin call (the watcher may be as quick).
                PluginZips.moveInto(releases.v012(), plugins);
                Files.delete(plugins.resolve(releases.v011().getFileName()));
                HttpResponse<String> reload = proxy.post("/admin/plugins/reload", "", "Authorization", "Bearer " + MASTER_KEY);
                assertEquals(200, reload.statusCode(), reload.body());
                awaitActive(proxy, "0.1.2");
                long exportedAtSecondSwap = exported(proxy);
                traffic.awaitMore(proxy, 100, WAIT);
                proxy.await("0.1.2 to export", WAIT, () -> exported(proxy) > exportedAtSecondSwap);
            }

            assertEquals(List.of(), traffic.failures(), "client calls failed during the swaps");
            Set<String> ids = traffic.responseIds();
            proxy.await("every record exported", WAIT, () -> {
                JsonNode l = lane(admin(proxy));
                return l.path("lag").path("records").asLong() == 0 && l.path("counters").path("exported").asLong() >= ids.size();
            });

            Map<String, Integer> messages = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> m : broker.readAll(TOPIC, WAIT)) {
                JsonNode record = JSON.readTree(m.value());
                assertEquals(new String(m.key(), java.nio.charset.StandardCharsets.UTF_8), record.path("id").asText());
                messages.merge(record.path("response").path("id").asText(), 1, Integer::sum);
            }
            List<String> missing = ids.stream().filter(id -> !messages.containsKey(id)).limit(5).toList();
            assertEquals(List.of(), missing, "calls without a message (of " + ids.size() + ")");
            assertEquals(ids, messages.keySet(), "messages of calls no client got an answer for");
            long duplicated = messages.values().stream().filter(n -> n > 1).count();
            PrometheusScrape metrics = new PrometheusScrape(proxy.get("/metrics").body());
            assertEquals(0.0, Math.max(0, metrics.value("llmhub_destination_records_total", "destination", "kafka",
                    "outcome", "dropped")), metrics.toString());
            assertEquals(0.0, Math.max(0, metrics.value("llmhub_destination_records_total", "destination", "kafka",
                    "outcome", "failed")), metrics.toString());
            System.out.printf("kafka hot swap under load: %d calls, 0 failed, %d messages, %d calls with more than one message%n",
                    ids.size(), messages.values().stream().mapToInt(Integer::intValue).sum(), duplicated);
        }
    }

    private static void awaitActive(ProxyProcess proxy, String version) {
        proxy.await("kafka " + version + " to be started and its lane active", WAIT, () -> {
            JsonNode v = admin(proxy);
            JsonNode l = lane(v);
            boolean started = StreamSupport.stream(v.path("plugins").spliterator(), false)
                    .anyMatch(p -> "kafka".equals(p.path("id").asText()) && "started".equals(p.path("state").asText())
                            && version.equals(p.path("version").asText()));
            return started && "active".equals(l.path("state").asText()) && version.equals(l.path("plugin_version").asText());
        });
    }

    private static long exported(ProxyProcess proxy) {
        return lane(admin(proxy)).path("counters").path("exported").asLong();
    }

    private static JsonNode admin(ProxyProcess proxy) {
        return PluginsView.fetch(proxy, MASTER_KEY);
    }

    private static JsonNode lane(JsonNode view) {
        return PluginsView.lane(view, "kafka");
    }
}
