package dev.llmhub.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.core.delivery.Waits;
import dev.llmhub.core.hub.Hub;
import dev.llmhub.core.plugin.BuiltPlugins;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.core.record.SampleRecords;
import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin routes on a real Helidon server over a running hub: plugins, destinations, config. */
class AdminServiceTest {
    private static final String CONFIG = """
            model_list:
              - model_name: m
                litellm_params:
                  model: mock/m
                  api_key: sk-admin-upstream-SECRET
            litellm_settings:
              callbacks: ["faulty.collect"]
            callback_settings:
              faulty.collect:
                flush_interval: 10ms
                token: admin-plugin-SECRET
            """;
    private static Path work;
    private static Path plugins;
    private static Path config;
    private static Hub hub;
    private static WebServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("admin");
        plugins = Files.createDirectories(work.resolve("plugins"));
        BuiltPlugins.install(BuiltPlugins.faulty(), plugins);
        config = Files.writeString(work.resolve("config.yaml"), CONFIG);
        hub = Hub.start(new Hub.Options(config, plugins, Optional.of(work.resolve("data")), Optional.empty(), Map.of()),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new ProxyInfo("test", "0"));
        server = WebServer.builder().port(0).host("127.0.0.1")
                .routing(r -> r.register("/admin", new AdminService(hub)))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        hub.close();
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return CallRecordJson.mapper().readTree(r.body());
    }

    private static JsonNode lane() throws Exception {
        return json(send("GET", "/admin/destinations")).get("destinations").get(0);
    }

    @Test
    void listsPluginsAndLanesAndReloadsOnDemand() throws Exception {
        hub.delivery().sink().publish(SampleRecords.seedSuccess().build());
        Waits.until(Duration.ofSeconds(20), "the export", hub.delivery()::lanes,
                () -> hub.delivery().lanes().get(0).counters().exported() >= 1);
        HttpResponse<String> list = send("GET", "/admin/plugins");
        assertEquals(200, list.statusCode());
        assertTrue(list.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode body = json(list);
        JsonNode plugin = body.get("plugins").get(0);
        assertEquals("faulty", plugin.get("id").asText());
        assertEquals("1.0.0", plugin.get("version").asText());
        assertEquals("started", plugin.get("state").asText());
        assertTrue(plugin.get("names").toString().contains("faulty.collect"), list.body());
        JsonNode lane = body.get("lanes").get(0);
        assertEquals("faulty.collect", lane.get("name").asText());
        assertEquals("destination", lane.get("kind").asText());
        assertEquals("all", lane.get("records").asText());
        assertTrue(lane.at("/counters/exported").asLong() >= 1, list.body());

        Files.writeString(plugins.resolve("broken-1.0.0.zip"), "not a zip");
        HttpResponse<String> reload = send("POST", "/admin/plugins/reload");
        assertEquals(200, reload.statusCode(), reload.body());
        JsonNode r = json(reload);
        assertTrue(r.get("failed").get(0).asText().startsWith("broken-1.0.0.zip: "), reload.body());
        JsonNode p = r.get("plugins").get(1);
        assertEquals("failed", p.get("state").asText());
        assertEquals("broken-1.0.0.zip", p.get("file").asText());
        assertTrue(p.get("error").asText().contains("cannot read the zip"), reload.body());
    }

    @Test
    void destinationsShowTheJournalAndTheLaneAndArePausedResumedAndReplayed() throws Exception {
        Instant before = Instant.now();
        hub.delivery().sink().publish(SampleRecords.seedSuccess().build());
        Waits.until(Duration.ofSeconds(20), "no lag", () -> "", () -> hub.delivery().lanes().get(0).lag().entries() == 0);
        JsonNode view = json(send("GET", "/admin/destinations"));
        assertEquals("local", view.at("/journal/kind").asText(), view.toString());
        assertEquals("process", view.at("/journal/durability").asText(), view.toString());
        assertTrue(view.at("/journal/appended").asLong() >= 1, view.toString());
        JsonNode l = view.get("destinations").get(0);
        assertEquals("active", l.get("state").asText(), view.toString());
        assertEquals(l.at("/cursor/position").asLong(), l.at("/cursor/committed").asLong(), view.toString());

        assertEquals(200, send("POST", "/admin/destinations/faulty.collect/pause").statusCode());
        assertEquals("paused", lane().get("state").asText());
        assertEquals(200, send("POST", "/admin/destinations/faulty.collect/resume").statusCode());
        assertEquals("active", lane().get("state").asText());

        long exported = lane().at("/counters/exported").asLong();
        HttpResponse<String> replay = send("POST", "/admin/destinations/faulty.collect/replay?from=" + before);
        assertEquals(200, replay.statusCode(), replay.body());
        Waits.until(Duration.ofSeconds(20), "the replayed record", () -> "", () -> {
            try {
                return lane().at("/counters/exported").asLong() > exported;
            } catch (Exception e) {
                return false;
            }
        });

        HttpResponse<String> unknown = send("POST", "/admin/destinations/nope/pause");
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found", json(unknown).at("/error/code").asText());
        HttpResponse<String> badTime = send("POST", "/admin/destinations/faulty.collect/replay?from=yesterday");
        assertEquals(400, badTime.statusCode());
    }

    @Test
    void theConfigIsShownWithoutSecretsAndABrokenReloadKeepsIt() throws Exception {
        HttpResponse<String> shown = send("GET", "/admin/config");
        assertEquals(200, shown.statusCode());
        assertFalse(shown.body().contains("SECRET"), shown.body());
        assertEquals("[REDACTED]", json(shown).at("/config/model_list/0/litellm_params/api_key").asText());
        assertEquals("[REDACTED]", json(shown).at("/config/callback_settings/faulty.collect/token").asText());

        Files.writeString(config, CONFIG.replace("model: mock/m", "model: mock/m\n      rpm: [1, 2]"));
        HttpResponse<String> refused = send("POST", "/admin/config/reload");
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(json(refused).at("/error/message").asText().contains("config.yaml:5: model_list[0].litellm_params.rpm"),
                refused.body());
        JsonNode last = json(send("GET", "/admin/config")).get("last_reload");
        assertFalse(last.get("applied").asBoolean(), last.toString());
        assertEquals("admin API", last.get("trigger").asText());

        Files.writeString(config, CONFIG.replace("model_name: m", "model_name: m2"));
        HttpResponse<String> applied = send("POST", "/admin/config/reload");
        assertEquals(200, applied.statusCode(), applied.body());
        assertTrue(json(applied).get("applied").asBoolean(), applied.body());
        assertEquals("m2", json(send("GET", "/admin/config")).at("/config/model_list/0/model_name").asText());
        assertEquals(java.util.Set.of("m2"), hub.gateway().router().modelNames());
        Files.writeString(config, CONFIG);
        assertEquals(200, send("POST", "/admin/config/reload").statusCode());
    }

    @Test
    void wrongMethodGetsAnOpenAiShapedError() throws Exception {
        HttpResponse<String> res = send("DELETE", "/admin/plugins");
        assertEquals(405, res.statusCode());
        JsonNode e = json(res).get("error");
        assertEquals("invalid_request_error", e.get("type").asText());
        assertTrue(e.has("param") && e.get("param").isNull());
        assertEquals("method_not_allowed", e.get("code").asText());
        assertTrue(e.get("message").asText().contains("GET /admin/plugins"));
    }
}
