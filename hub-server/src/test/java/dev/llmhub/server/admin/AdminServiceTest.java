package dev.llmhub.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.core.delivery.DeliveryConfig;
import dev.llmhub.core.delivery.DeliveryRuntime;
import dev.llmhub.core.delivery.Waits;
import dev.llmhub.core.plugin.BuiltPlugins;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.core.record.CallRecordJson;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin routes on a real Helidon server, over a real (empty, then broken-zip) plugins directory. */
class AdminServiceTest {
    private static Path plugins;
    private static DeliveryRuntime runtime;
    private static WebServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        plugins = Files.createTempDirectory("admin-plugins");
        BuiltPlugins.install(BuiltPlugins.faulty(), plugins);
        DeliveryConfig config = new DeliveryConfig(List.of("faulty.collect"), List.of(), List.of(), false,
                Map.of("faulty.collect", Map.of("flush_interval", "10ms")), false, List.of(), Map.of());
        runtime = DeliveryRuntime.start(config, plugins, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new ProxyInfo("test", "0"));
        server = WebServer.builder().port(0).host("127.0.0.1")
                .routing(r -> r.register("/admin", new AdminService(runtime)))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        runtime.close();
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsPluginsAndLanesAndReloadsOnDemand() throws Exception {
        runtime.publish(SampleRecords.seedSuccess().build());
        Waits.until(Duration.ofSeconds(20), "the export", runtime::lanes,
                () -> runtime.lanes().get(0).counters().exported() == 1);
        HttpResponse<String> list = send("GET", "/admin/plugins");
        assertEquals(200, list.statusCode());
        assertTrue(list.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode body = CallRecordJson.mapper().readTree(list.body());
        JsonNode plugin = body.get("plugins").get(0);
        assertEquals("faulty", plugin.get("id").asText());
        assertEquals("1.0.0", plugin.get("version").asText());
        assertEquals("started", plugin.get("state").asText());
        assertTrue(plugin.get("names").toString().contains("faulty.collect"), list.body());
        JsonNode lane = body.get("lanes").get(0);
        assertEquals("faulty.collect", lane.get("name").asText());
        assertEquals("destination", lane.get("kind").asText());
        assertEquals("active", lane.get("state").asText());
        assertEquals("all", lane.get("records").asText());
        assertEquals(0, lane.get("queue_depth").asLong());
        assertEquals(1, lane.at("/counters/exported").asLong(), list.body());

        Files.writeString(plugins.resolve("broken-1.0.0.zip"), "not a zip");
        HttpResponse<String> reload = send("POST", "/admin/plugins/reload");
        assertEquals(200, reload.statusCode(), reload.body());
        JsonNode r = CallRecordJson.mapper().readTree(reload.body());
        assertTrue(r.get("failed").get(0).asText().startsWith("broken-1.0.0.zip: "), reload.body());
        JsonNode p = r.get("plugins").get(1);
        assertEquals("failed", p.get("state").asText());
        assertEquals("broken-1.0.0.zip", p.get("file").asText());
        assertTrue(p.get("error").asText().contains("cannot read the zip"), reload.body());
    }

    @Test
    void wrongMethodGetsAnOpenAiShapedError() throws Exception {
        HttpResponse<String> res = send("DELETE", "/admin/plugins");
        assertEquals(405, res.statusCode());
        JsonNode e = CallRecordJson.mapper().readTree(res.body()).get("error");
        assertEquals("invalid_request_error", e.get("type").asText());
        assertTrue(e.has("param") && e.get("param").isNull());
        assertEquals("method_not_allowed", e.get("code").asText());
        assertTrue(e.get("message").asText().contains("GET /admin/plugins"));
    }
}
