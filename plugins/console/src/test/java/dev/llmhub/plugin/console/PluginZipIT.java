package dev.llmhub.plugin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.LoadedPlugin;
import dev.llmhub.plugin.testkit.PluginZipCheck;
import dev.llmhub.plugin.testkit.StdoutCapture;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built zip itself: its layout, and that real PF4J loads it and the destination prints. */
class PluginZipIT {

    @Test
    void zipHasThePluginLayout() {
        PluginZipCheck.assertLayout(PluginZipCheck.builtZip(), "console", ConsoleDestinationFactory.class.getName());
    }

    @Test
    void pf4jLoadsTheZipAndTheDestinationPrints(@TempDir Path dir) throws Exception {
        CallRecord r = SampleRecords.seedSuccess().build();
        try (LoadedPlugin plugin = LoadedPlugin.load(PluginZipCheck.builtZip(), dir)) {
            DestinationFactory f = plugin.extension(DestinationFactory.class, "console");
            try (Destination d = f.create(TestPluginContext.of("console"))) {
                String out = StdoutCapture.run(() -> assertEquals(ExportResult.success(), d.export(List.of(r))));
                assertTrue(out.endsWith(" id=" + r.id() + "\n"), out);
            }
        }
    }
}
