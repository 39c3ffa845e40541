package dev.llmhub.plugin.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The queries {@code docs/destinations/elasticsearch.md} tells users to paste run and find the records. */
class DocumentedQueriesTest {
    private static final Pattern CURL = Pattern.compile("curl -s \"\\$ES(/[^\"]+)\"[^\\n]*-d '(\\{.*?\\n\\})'", Pattern.DOTALL);

    @Test
    void theThreeQueriesOfTheDocsAnswerOnRealRecords() throws Exception {
        ElasticsearchServer server = ElasticsearchServer.shared();
        ElasticsearchRest rest = new ElasticsearchRest(server.url());
        Instant recent = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        List<CallRecord> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batch.add(SampleRecords.seedSuccess().startTime(recent.plusSeconds(i))
                    .endTime(recent.plusSeconds(i).plusMillis(100L * (i + 1))).build());
        }
        CallRecord failed = SampleRecords.rateLimitedFailure().build();
        batch.add(failed.toBuilder().startTime(recent).endTime(recent.plusMillis(50)).build());
        try (Destination d = new ElasticsearchDestinationFactory().create(
                TestPluginContext.of("elasticsearch", Map.of("url", server.url()), Map.of()))) {
            assertEquals(ExportResult.success(), d.export(batch));
        }
        rest.post("/llmhub-calls/_refresh", null);

        String doc = Files.readString(docs());
        Matcher m = CURL.matcher(doc);
        List<JsonNode> answers = new ArrayList<>();
        while (m.find()) {
            JsonNode answer = rest.post(m.group(1), m.group(2));
            assertFalse(answer.has("error"), m.group(2) + "\n-> " + answer);
            answers.add(answer);
        }
        assertEquals(3, answers.size(), "the docs show three queries");
        JsonNode perDay = answers.get(0).at("/aggregations/per_day/buckets");
        double cost = 0;
        for (JsonNode day : perDay) {
            for (JsonNode model : day.at("/models/buckets")) {
                cost += model.at("/cost/value").asDouble();
            }
        }
        assertEquals(4 * 3.65e-05, cost, 1e-12);
        JsonNode slowest = answers.get(1).at("/hits/hits/0/_source");
        assertEquals(400, slowest.path("duration_ms").asLong());
        JsonNode providers = answers.get(2).at("/aggregations/providers/buckets");
        assertEquals("openai", providers.at("/0/key").asText());
        assertEquals("rate_limit_error", providers.at("/0/types/buckets/0/key").asText());
        assertTrue(providers.at("/0/types/buckets/0/latest/hits/hits/0/_source/error/message").isTextual());
    }

    private static Path docs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("docs/destinations/elasticsearch.md");
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("docs/destinations/elasticsearch.md not found above " + Path.of("").toAbsolutePath());
    }
}
