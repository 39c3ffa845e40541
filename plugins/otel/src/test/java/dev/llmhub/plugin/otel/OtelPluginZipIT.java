package dev.llmhub.plugin.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.ClassLoaderWatch;
import dev.llmhub.plugin.testkit.LoadedPlugin;
import dev.llmhub.plugin.testkit.PluginZipCheck;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built plugin zip, loaded by PF4J the way the proxy loads it. */
class OtelPluginZipIT {

    @TempDir
    Path plugins;

    private static Path zip() {
        return PluginZipCheck.builtZip();
    }

    @Test
    void theZipHasTheIndexAndNoHostLibraries() throws Exception {
        PluginZipCheck.assertLayout(zip(), "otel", OtelDestinationFactory.class.getName());
        // The exporter is the plugin's own: the host does not provide it.
        try (ZipFile z = new ZipFile(zip().toFile())) {
            assertTrue(z.stream().anyMatch(e -> e.getName().startsWith("lib/opentelemetry-exporter-otlp-")));
        }
    }

    @Test
    void pf4jFindsTheOtelFactoryAndItExportsThroughThePluginsOwnLibraries() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver().start()) {
            // Exports run on this long-lived thread, like the core's lane threads.
            ClassLoaderWatch loader = loadExportUnload(receiver);
            assertEquals(3, receiver.spans().size(), "server, chat and its one try");
            assertEquals(1, receiver.logRecords().size(), "the operation details event, through the plugin's log exporter");
            // Hot reload needs the old class loader to go: nothing the plugin started may hold it for good.
            // OkHttp's TaskRunner and Okio's Watchdog are daemon threads of the plugin's own copy of those
            // libraries that end after 60 s idle; until then they keep the loader reachable, so the
            // bound here is their idle time plus a margin (docs/destinations/otel.md says so).
            Duration took = loader.assertCollected(Duration.ofSeconds(120));
            System.out.println("plugin class loader collected " + took.toMillis() + " ms after unload");
        }
    }

    private ClassLoaderWatch loadExportUnload(OtlpReceiver receiver) throws Exception {
        try (LoadedPlugin plugin = LoadedPlugin.load(zip(), plugins)) {
            DestinationFactory factory = plugin.extension(DestinationFactory.class, "otel");
            assertNotEquals(OtelPluginZipIT.class.getClassLoader(), factory.getClass().getClassLoader(),
                    "loaded from the zip, not the test class path");
            try (Destination d = factory.create(TestPluginContext.of("otel", Map.of("endpoint", receiver.endpoint(),
                    // every exporter the plugin has (spans, metrics, events) is started and must let go on unload
                    "capture_message_content", "span_and_event"), Map.of()))) {
                assertInstanceOf(ExportResult.Success.class, d.export(List.of(SampleRecords.seedSuccess().build())));
            }
            return ClassLoaderWatch.of(plugin.classLoader());
        }
    }
}
