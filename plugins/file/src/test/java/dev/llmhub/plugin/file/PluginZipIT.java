package dev.llmhub.plugin.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.LoadedPlugin;
import dev.llmhub.plugin.testkit.PluginZipCheck;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built zip itself: its layout, and that real PF4J loads it and the destination works. */
class PluginZipIT {

    @Test
    void zipHasThePluginLayout() {
        PluginZipCheck.assertLayout(PluginZipCheck.builtZip(), "file", FileDestinationFactory.class.getName());
    }

    @Test
    void pf4jLoadsTheZipAndTheDestinationWrites(@TempDir Path dir) throws Exception {
        try (LoadedPlugin plugin = LoadedPlugin.load(PluginZipCheck.builtZip(), dir.resolve("plugins"))) {
            DestinationFactory f = plugin.extension(DestinationFactory.class, "file");
            Path out = dir.resolve("out/calls.jsonl");
            try (Destination d = f.create(TestPluginContext.builder("file").setting("path", out.toString()).build())) {
                assertEquals(ExportResult.success(), d.export(List.of(SampleRecords.seedSuccess().build())));
            }
            assertEquals(1, Files.readAllLines(out).size());
        }
    }
}
