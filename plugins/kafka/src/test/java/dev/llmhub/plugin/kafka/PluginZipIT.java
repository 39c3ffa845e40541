package dev.llmhub.plugin.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.ClassLoaderWatch;
import dev.llmhub.plugin.testkit.LoadedPlugin;
import dev.llmhub.plugin.testkit.PluginZipCheck;
import dev.llmhub.plugin.testkit.TestPluginContext;
import dev.llmhub.testsupport.kafka.KafkaBroker;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built zip, loaded by PF4J as the proxy loads it (after {@code package}, with the plugin's own
 * classes off the test class path), producing to a real broker with the default zstd compression
 * (a native library) — and after unloading, nothing of Kafka's (its network thread, its JMX metrics
 * and app-info MBeans, a producer that failed to start) may keep the plugin's class loader alive.
 */
class PluginZipIT {
    private static final String TOPIC = "zip-it";
    private static final String FACTORY = "dev.llmhub.plugin.kafka.KafkaDestinationFactory";

    @Test
    void theZipProducesThroughItsOwnClientAndUnloadsWithoutAThreadOrAnMBeanLeft(@TempDir Path work) throws Exception {
        Path zip = PluginZipCheck.builtZip();
        PluginZipCheck.assertLayout(zip, "kafka", FACTORY);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertTrue(z.getEntry("lib/kafka-clients-" + KafkaBroker.version() + ".jar") != null, "kafka-clients is not in lib/");
            assertTrue(z.stream().anyMatch(e -> e.getName().startsWith("lib/zstd-jni-")), "the zstd codec is not in lib/");
            assertTrue(z.stream().anyMatch(e -> e.getName().startsWith("lib/llmhub-plugin-kit-")), "the plugin kit is not in lib/");
        }
        assertThrows(ClassNotFoundException.class, () -> Class.forName(FACTORY),
                "the plugin's classes must not be on the test class path, or the zip is not what is tested");
        KafkaBroker broker = KafkaBroker.shared();
        broker.createTopic(TOPIC, 2);

        ClassLoaderWatch loader = null;
        for (int round = 0; round < 3; round++) {
            ClassLoaderWatch previous = loader;
            loader = loadExportUnload(zip, work.resolve("plugins-" + round), broker);
            if (previous != null) {
                assertNotSame(previous.get(), loader.get());
            }
        }
        assertEquals(3 * 5, broker.recordCount(TOPIC));
        assertTrue(kafkaMBeans().isEmpty(), "producer MBeans left registered: " + kafkaMBeans());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("kafka-producer-network-thread")),
                "a producer network thread is still running");
        loader.assertCollected(Duration.ofSeconds(30));
    }

    /** @return a watch on the plugin's class loader: everything else of this round is dropped */
    private static ClassLoaderWatch loadExportUnload(Path zip, Path pluginsDir, KafkaBroker broker) {
        ClassLoader pluginLoader;
        try (LoadedPlugin plugin = LoadedPlugin.load(zip, pluginsDir)) {
            DestinationFactory factory = plugin.extension(DestinationFactory.class, "kafka");
            pluginLoader = factory.getClass().getClassLoader();
            // kafka-clients is on the test class path too (for the broker harness): the plugin must use its own.
            assertSame(pluginLoader, pluginLoader.loadClass("org.apache.kafka.clients.producer.KafkaProducer").getClassLoader(),
                    "KafkaProducer did not come from the zip's lib/");

            List<CallRecord> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(SampleRecords.seedSuccess().build());
            }
            ClassLoader before = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(pluginLoader); // as the core's invoker does
            try {
                try (Destination d = factory.create(TestPluginContext.of("kafka",
                        Map.of("bootstrap_servers", broker.bootstrapServers(), "topic", TOPIC, "export_timeout", "60s"), Map.of()))) {
                    assertEquals(ExportResult.success(), Exports.asTheLaneWould(d, batch));
                }
                // A producer that could not be made (the name does not resolve) must leave nothing behind either.
                try (Destination d = factory.create(TestPluginContext.of("kafka",
                        Map.of("bootstrap_servers", "kafka.no-such-host.invalid:9092", "export_timeout", "3s"), Map.of()))) {
                    assertInstanceOf(ExportResult.Retryable.class, d.export(batch));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                Thread.currentThread().setContextClassLoader(before);
            }
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        return ClassLoaderWatch.of(pluginLoader);
    }

    /** @return the producers' MBeans (the harness's own admin client has some too, in kafka.admin.client) */
    private static List<ObjectName> kafkaMBeans() {
        return ManagementFactory.getPlatformMBeanServer().queryNames(null, null).stream()
                .filter(n -> n.getDomain().equals("kafka.producer")).toList();
    }
}
