package dev.llmhub.plugin.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cluster goes away and comes back: the batch sent meanwhile is retryable, then lands once. */
class ElasticsearchOutageTest {
    @RegisterExtension
    static final ElasticsearchServer server = ElasticsearchServer.shared();
    private static final ElasticsearchRest rest = new ElasticsearchRest(server.url());

    @Test
    void aBatchSentWhileTheClusterIsDownIsRetryableThenLandsExactlyOnce() {
        String index = "calls-outage";
        List<CallRecord> before = Records.successes(5);
        List<CallRecord> during = Records.successes(6);
        TestPluginContext ctx = TestPluginContext.of("elasticsearch", Map.of("url", server.url(), "index", index,
                "request_timeout", "10s"), Map.of());
        try (Destination d = new ElasticsearchDestinationFactory().create(ctx)) {
            assertEquals(ExportResult.success(), d.export(before));

            server.stop();
            ExportResult down = d.export(during);
            ExportResult.Retryable retry = assertInstanceOf(ExportResult.Retryable.class, down);
            assertTrue(retry.reason().contains(server.url().substring("http://".length())), retry.reason());

            server.start();
            // What the core's lane does next: the same batch again (and an old one, as a duplicate retry).
            assertEquals(ExportResult.success(), d.export(during));
            assertEquals(ExportResult.success(), d.export(before));
        }
        assertEquals(11, rest.count(index));
        assertTrue(ctx.logger().lines().stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("cannot reach")
                && l.contains(server.url())), ctx.logger().lines().toString());
    }
}
