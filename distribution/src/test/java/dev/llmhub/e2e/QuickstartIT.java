package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.server.SeedRequests;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first run, with examples/quickstart.yaml as shipped: the banner says where the
 * records go, the curl's call prints one console line and lands in ./llmhub-calls.jsonl as one
 * record, the same call in both places, its key redacted.
 */
class QuickstartIT {
    private static final Path QUICKSTART = Path.of("../examples/quickstart.yaml"); // failsafe runs in distribution/
    private static final Pattern CONSOLE_LINE = Pattern.compile(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} call success chat gpt-3\\.5-turbo -> mock 11\\+10=21 tokens \\$0\\.0000365 \\d+ ms id=(\\S+)");

    @Test
    void theFirstRunShowsTheCallOnTheConsoleAndInTheFile(@TempDir Path work) throws Exception {
        try (ProxyProcess proxy = ProxyProcess.start(work, Files.readString(QUICKSTART), null, Map.of())) {
            Path file = work.resolve("llmhub-calls.jsonl").toAbsolutePath().normalize();
            // The banner follows readiness by a moment: it is printed once the server has started.
            proxy.await("the banner", Duration.ofSeconds(30), () -> proxy.output().contains("  try:"));
            assertTrue(proxy.output().contains("  destinations: console, file -> " + file + "\n"), proxy.output());

            HttpResponse<String> r = proxy.post("/chat/completions", SeedRequests.GOOD_MORNING, "Authorization", "Bearer sk-1234");
            assertEquals(200, r.statusCode(), r.body());

            proxy.await("the console line", Duration.ofSeconds(30), () -> CONSOLE_LINE.matcher(proxy.output()).find());
            proxy.await("the record in " + file, Duration.ofSeconds(30), () -> Files.exists(file) && lines(file).size() == 1);
            Matcher console = CONSOLE_LINE.matcher(proxy.output());
            assertTrue(console.find());
            JsonNode record = JSON.readTree(lines(file).get(0));
            assertEquals(console.group(1), record.get("id").asText(), "the console line and the file show the same call");
            assertEquals("success", record.get("status").asText());
            assertEquals("good morning good sir", record.at("/messages/0/content").asText());
            assertEquals(21, record.at("/usage/total_tokens").asInt());
            assertEquals("[REDACTED]", record.at("/headers/authorization").asText());
            assertFalse(Files.readString(file).contains("sk-1234"), "the key reached the file");
            assertFalse(proxy.output().contains("sk-1234"), "the key reached the terminal");
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
