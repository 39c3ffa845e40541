package dev.llmhub.plugin.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.ExportResult;
import dev.llmhub.plugin.testkit.ClassLoaderWatch;
import dev.llmhub.plugin.testkit.LoadedPlugin;
import dev.llmhub.plugin.testkit.PluginZipCheck;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built plugin zip, loaded by PF4J as the proxy loads it. Runs after {@code package} (failsafe), with
 * the client's libraries removed from the test class path, so everything the plugin needs must come
 * from its own {@code lib/}; and after unloading, nothing may keep its class loader alive (hot reload).
 */
class PluginZipIT {
    private HttpServer server;
    private String url;
    private final AtomicInteger bulks = new AtomicInteger();

    @BeforeEach
    void startCluster() throws Exception {
        // An HTTP server on loopback answering like Elasticsearch: templates acknowledged, documents created.
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String body;
            boolean gzip = "gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"));
            try (InputStream in = gzip ? new java.util.zip.GZIPInputStream(ex.getRequestBody()) : ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String answer;
            if (ex.getRequestURI().getPath().equals("/_bulk")) {
                bulks.incrementAndGet();
                StringBuilder items = new StringBuilder();
                for (String line : body.split("\n")) {
                    int at = line.indexOf("\"_id\":\"");
                    if (line.startsWith("{\"create\"") && at > 0) {
                        String id = line.substring(at + 7, line.indexOf('"', at + 7));
                        items.append(items.isEmpty() ? "" : ",").append("{\"create\":{\"_index\":\".ds-llmhub-calls-1\",\"_id\":\"")
                                .append(id).append("\",\"status\":201,\"result\":\"created\",\"_version\":1}}");
                    }
                }
                answer = "{\"errors\":false,\"took\":1,\"items\":[" + items + "]}";
            } else {
                answer = "{\"acknowledged\":true}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopCluster() {
        server.stop(0);
    }

    @Test
    void theZipLoadsExportsThroughItsOwnLibrariesAndUnloadsCleanly(@TempDir Path plugins) throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("co.elastic.clients.elasticsearch.ElasticsearchClient"),
                "the client must not be on the test class path, or the zip's lib/ is not what is tested");
        ClassLoaderWatch loader = null;
        for (int round = 0; round < 3; round++) {
            ClassLoaderWatch previous = loader;
            loader = loadExportUnload(plugins);
            if (previous != null) {
                assertNotSame(previous.get(), loader.get());
            }
        }
        assertEquals(3, bulks.get());
        loader.assertCollected(Duration.ofSeconds(30));
    }

    /** @return a watch of the plugin's class loader: everything else of this round is dropped */
    private ClassLoaderWatch loadExportUnload(Path plugins) {
        try (LoadedPlugin plugin = LoadedPlugin.load(PluginZipCheck.builtZip(), plugins)) {
            DestinationFactory factory = plugin.extension(DestinationFactory.class, "elasticsearch");
            assertEquals(plugin.classLoader(), factory.getClass().getClassLoader());
            TestPluginContext ctx = TestPluginContext.of("elasticsearch", Map.of("url", url), Map.of());
            try (Destination d = factory.create(ctx)) {
                assertEquals(ExportResult.success(), d.export(Records.successes(3)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertFalse(ctx.logger().lines().stream().anyMatch(l -> l.startsWith("WARNING")), ctx.logger().lines().toString());
            return ClassLoaderWatch.of(plugin.classLoader());
        }
    }
}
