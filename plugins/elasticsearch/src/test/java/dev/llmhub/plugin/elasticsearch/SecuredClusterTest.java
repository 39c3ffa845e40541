package dev.llmhub.plugin.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real Elasticsearch with security on: basic credentials accepted, wrong or missing ones refused for good. */
class SecuredClusterTest {
    private static final String PASSWORD = "llmhub-Pw-93kd71";
    private static ElasticsearchServer server;
    private static ElasticsearchRest rest;

    @BeforeAll
    static void start() {
        server = new ElasticsearchServer(
                Path.of(System.getProperty("llmhub.es.home", "target/elasticsearch-9.2.0")),
                Path.of(System.getProperty("llmhub.es.work", "target/es-work") + "-secured"))
                .withSecurity("llmhub-admin", PASSWORD);
        server.wipeData();
        server.start();
        rest = new ElasticsearchRest(server.url(), server.basicAuth());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static ExportResult exportWith(Map<String, Object> credentials, String index, TestPluginContext[] out) {
        Map<String, Object> settings = new java.util.HashMap<>(credentials);
        settings.put("url", server.url());
        settings.put("index", index);
        TestPluginContext ctx = TestPluginContext.of("elasticsearch", settings, Map.of());
        out[0] = ctx;
        try (Destination d = new ElasticsearchDestinationFactory().create(ctx)) {
            return d.export(Records.successes(2));
        }
    }

    @Test
    void basicCredentialsAreAccepted() {
        TestPluginContext[] ctx = new TestPluginContext[1];
        assertEquals(ExportResult.success(), exportWith(Map.of("username", "llmhub-admin", "password", PASSWORD),
                "calls-basic", ctx));
        assertEquals(2, rest.count("calls-basic"));

        // API keys need the .security index, whose mapping needs the analysis-common module the
        // integ-test distribution lacks: the ApiKey header is checked against the loopback server in
        // ElasticsearchAnswersTest instead.
    }

    @Test
    void refusedCredentialsArePermanentAndNeverLogged() {
        TestPluginContext[] ctx = new TestPluginContext[1];
        ExportResult r = exportWith(Map.of("username", "llmhub-admin", "password", "wrong-Zr81xq"), "calls-refused", ctx);
        ExportResult.Permanent p = assertInstanceOf(ExportResult.Permanent.class, r);
        assertTrue(p.reason().contains("401"), p.reason());
        String log = String.join("\n", ctx[0].logger().lines());
        assertTrue(log.contains(server.url()) && log.contains("credentials were refused"), log);
        assertFalse(log.contains("Zr81xq") || p.reason().contains("Zr81xq"), log);
        // No credentials at all on a secured cluster: refused the same way, not retried.
        assertInstanceOf(ExportResult.Permanent.class, exportWith(Map.of(), "calls-refused", ctx));
    }
}
