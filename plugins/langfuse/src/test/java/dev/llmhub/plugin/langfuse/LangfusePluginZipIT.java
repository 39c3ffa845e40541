package dev.llmhub.plugin.langfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.ClassLoaderWatch;
import dev.llmhub.plugin.testkit.PluginZipCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads the built zip the way the proxy does: a real PF4J {@link DefaultPluginManager} whose parent
 * class loader (this test's class path) has Helidon, Jackson and protobuf too, like the host. Proves
 * the plugin sends to Langfuse in both modes with its own copies of its libraries, and that after
 * close and unload nothing keeps its class loader alive (hot reload must not leak).
 */
class LangfusePluginZipIT {
    @RegisterExtension
    static final LangfuseStandIn standIn = LangfuseStandIn.forIngestionTestClass();

    @Test
    void builtZipLoadsInPf4jAndExportsInBothModes(@TempDir Path pluginsDir) throws Exception {
        // Everything that references plugin classes lives in the other method's frame, gone by now.
        // After close() and unload nothing may keep the plugin's class loader alive (no Helidon thread,
        // shutdown hook or cache left behind), or every hot reload would leak a copy of Helidon.
        loadExportAndUnload(pluginsDir).assertCollected(Duration.ofSeconds(30));
    }

    private static ClassLoaderWatch loadExportAndUnload(Path pluginsDir) throws Exception {
        Path zip = PluginZipCheck.builtZip();
        Files.copy(zip, pluginsDir.resolve(zip.getFileName()));

        PluginManager manager = new DefaultPluginManager(pluginsDir);
        manager.loadPlugins();
        manager.startPlugins();
        ClassLoaderWatch loaderRef;
        try {
            PluginWrapper plugin = manager.getPlugin("langfuse");
            assertEquals(PluginState.STARTED, plugin.getPluginState(), String.valueOf(plugin.getFailedException()));
            List<DestinationFactory> factories = manager.getExtensions(DestinationFactory.class, "langfuse");
            assertEquals(1, factories.size(), "extensions.idx must list the factory");
            DestinationFactory factory = factories.get(0);
            assertEquals("langfuse", factory.name());
            ClassLoader pluginLoader = plugin.getPluginClassLoader();
            loaderRef = ClassLoaderWatch.of(pluginLoader);
            assertEquals(pluginLoader, factory.getClass().getClassLoader());
            // Plugin-first: the plugin's Jackson and protobuf are its own, not the host's.
            assertNotSame(com.fasterxml.jackson.databind.ObjectMapper.class,
                    pluginLoader.loadClass("com.fasterxml.jackson.databind.ObjectMapper"));

            for (String api : List.of("otel", "ingestion")) {
                standIn.reset();
                ExportResult result = withLoader(pluginLoader, () -> {
                    try (Destination d = factory.create(StandInContext.of(standIn, api))) {
                        return d.export(List.of(SampleRecords.seedSuccess().build(),
                                SampleRecords.rateLimitedFailure().build()));
                    }
                });
                assertEquals(ExportResult.success(), result, api);
                // export() returned after the stand-in answered, and it records before answering.
                if (api.equals("otel")) {
                    assertEquals(2, standIn.spans().size());
                } else {
                    assertEquals(4, standIn.events().size());
                }
                assertEquals(List.of(), standIn.violations(), api);
            }
        } finally {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
        return loaderRef;
    }

    /** What the core does around every call into a plugin: the plugin's loader as context loader. */
    private static <T> T withLoader(ClassLoader loader, Callable<T> call) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return call.call();
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
