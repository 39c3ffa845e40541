package dev.llmhub.plugin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.PluginZipCheck;
import dev.llmhub.plugin.testkit.StdoutCapture;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConsoleDestinationTest {

    @Test
    void printsOneLinePerRecordAndNothingFromInsideTheCall() throws Exception {
        CallRecord ok = SampleRecords.seedSuccess().build();
        CallRecord failed = SampleRecords.rateLimitedFailure().build();
        AtomicReference<ExportResult> result = new AtomicReference<>();
        String out;
        try (Destination d = new ConsoleDestinationFactory().create(TestPluginContext.of("console"))) {
            out = StdoutCapture.run(() -> result.set(d.export(List.of(ok, failed))));
        }
        assertEquals(ExportResult.success(), result.get());
        List<String> lines = out.lines().toList();
        assertEquals(2, lines.size(), out);
        assertTrue(lines.get(0).endsWith("id=" + ok.id()), out);
        assertTrue(lines.get(1).endsWith("id=" + failed.id()), out);
        // Content, the caller, its key and the headers stay out of a terminal and its scrollback.
        for (String never : List.of("good morning", "Good morning", "ishaan-app", "127.0.0.1", "curl/",
                ok.apiKey().orElseThrow().hash(), "REDACTED", "upstream rate limit reached", "session-42")) {
            assertFalse(out.contains(never), "printed '" + never + "': " + out);
        }
    }

    @Test
    void theExtensionIsIndexed() {
        PluginZipCheck.assertIndexed(Path.of("target/classes"), ConsoleDestinationFactory.class);
    }
}
