package dev.llmhub.plugin.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.api.PluginConfigException;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.DocumentedSettings;
import dev.llmhub.plugin.testkit.PluginZipCheck;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDestinationTest {
    @TempDir
    Path dir;

    private static Destination create(TestPluginContext ctx) throws Exception {
        return new FileDestinationFactory().create(ctx);
    }

    private static List<CallRecord> records(int n) {
        return IntStream.range(0, n).mapToObj(i -> i % 2 == 0
                ? SampleRecords.seedSuccess().build() : SampleRecords.rateLimitedFailure().build()).toList();
    }

    private static List<String> ids(Path file) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode n = CallRecordJson.mapper().readTree(line);
            ids.add(n.get("id").asText());
        }
        return ids;
    }

    @Test
    void writesOneParseableLinePerRecordInTheDocumentedForm() throws Exception {
        Path file = dir.resolve("deep/er/calls.jsonl");
        TestPluginContext ctx = TestPluginContext.builder("file").setting("path", file.toString()).build();
        Destination d = create(ctx);
        List<CallRecord> batch = records(3);

        assertEquals(ExportResult.success(), d.export(batch));
        assertEquals(ExportResult.success(), d.export(records(2)));

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(5, lines.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(CallRecordJson.write(batch.get(i)), lines.get(i));
        }
        JsonNode first = CallRecordJson.mapper().readTree(lines.get(0));
        assertEquals("success", first.get("status").asText());
        assertEquals(CallRecord.REDACTED, first.at("/headers/authorization").asText());
        assertEquals("failure", CallRecordJson.mapper().readTree(lines.get(1)).get("status").asText());
        d.close();
    }

    @Test
    void rotatesAtMaxSizeKeepingMaxFiles() throws Exception {
        List<CallRecord> all = records(9);
        long lineBytes = (CallRecordJson.write(all.get(0)) + "\n").getBytes(StandardCharsets.UTF_8).length;
        // Sample records of one kind serialize to the same length; use only successes to keep it exact.
        all = IntStream.range(0, 9).mapToObj(i -> SampleRecords.seedSuccess().build()).toList();
        Path file = dir.resolve("calls.jsonl");
        TestPluginContext ctx = TestPluginContext.builder("file")
                .setting("path", file.toString())
                .setting("max_size", 2 * lineBytes) // two lines fit, the third rotates
                .setting("max_files", 2)
                .setting("fsync", true)
                .build();
        Destination d = create(ctx);
        for (int i = 0; i < 9; i += 3) {
            assertEquals(ExportResult.success(), d.export(all.subList(i, i + 3)));
        }
        List<String> sent = all.stream().map(CallRecord::id).toList();
        assertEquals(sent.subList(8, 9), ids(file));
        assertEquals(sent.subList(6, 8), ids(dir.resolve("calls.jsonl.1")));
        assertEquals(sent.subList(4, 6), ids(dir.resolve("calls.jsonl.2")));
        assertFalse(Files.exists(dir.resolve("calls.jsonl.3")), "only max_files rotated files are kept");
        for (String name : List.of("calls.jsonl", "calls.jsonl.1", "calls.jsonl.2")) {
            assertTrue(Files.size(dir.resolve(name)) <= 2 * lineBytes, name + " is larger than max_size");
        }
        assertEquals(4, ctx.metrics().count("file_rotations"));
    }

    @Test
    void anUnwritablePathIsRetryableAndRecoversWhenFixed() throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "a file where the directory should be");
        Path file = blocker.resolve("calls.jsonl");
        TestPluginContext ctx = TestPluginContext.builder("file").setting("path", file.toString()).build();
        Destination d = create(ctx);
        assertFalse(ctx.logger().messages(System.Logger.Level.WARNING).isEmpty(), "warns at start");

        ExportResult r = d.export(records(1));
        ExportResult.Retryable retry = assertInstanceOf(ExportResult.Retryable.class, r);
        assertTrue(retry.reason().contains(file.toString()), retry.reason());

        Files.delete(blocker);
        assertEquals(ExportResult.success(), d.export(records(1)));
        assertEquals(1, Files.readAllLines(file).size());
    }

    @Test
    void defaultsMatchTheDocs() {
        Map<String, String> checked = DocumentedSettings.assertCodeFollows(Path.of("../../docs/destinations/file.md"), Map.of(),
                s -> FileSettings.from(TestPluginContext.of("file", s, Map.of())));
        assertEquals(List.of("path", "max_size", "max_files", "fsync"), List.copyOf(checked.keySet()));
    }

    @Test
    void sizesAcceptUnitsAndBytes() {
        assertEquals(100L * 1024 * 1024, FileSettings.size("k", "100MB"));
        assertEquals(512L * 1024, FileSettings.size("k", "512 kb"));
        assertEquals(1024L * 1024 * 1024, FileSettings.size("k", "1GiB"));
        assertEquals(1536L, FileSettings.size("k", "1.5K"));
        assertEquals(4096L, FileSettings.size("k", 4096));
        assertEquals(10L, FileSettings.size("k", "10"));
    }

    @Test
    void badSettingsAreRejectedNamingTheKey() {
        Map<String, Object> bad = Map.of(
                "max_size", "lots",
                "max_files", 0,
                "fsync", "maybe",
                "path", "bad\0path");
        bad.forEach((key, value) -> {
            PluginConfigException e = assertThrows(PluginConfigException.class,
                    () -> create(TestPluginContext.builder("file").setting(key, value).build()), key);
            assertTrue(e.getMessage().startsWith("callback_settings.file." + key + ":"), e.getMessage());
        });
        PluginConfigException zero = assertThrows(PluginConfigException.class,
                () -> create(TestPluginContext.builder("file").setting("max_size", "0MB").build()));
        assertTrue(zero.getMessage().contains("callback_settings.file.max_size"), zero.getMessage());
    }

    @Test
    void theExtensionIndexListsTheFactory() {
        // STACK.md trap 1: without the index PF4J finds no extension, and says nothing.
        PluginZipCheck.assertIndexed(Path.of("target", "classes"), FileDestinationFactory.class);
    }
}
