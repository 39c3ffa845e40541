package dev.llmhub.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/call-record.md shows exactly what CallRecordJson writes, and documents every field it writes. */
class CallRecordDocTest {
    private static final Path DOC = Path.of("../docs/call-record.md");

    @Test
    void theFullExampleIsWhatTheCodeWrites() throws Exception {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("```json\n") + "```json\n".length();
        String example = doc.substring(start, doc.indexOf("\n```", start));
        CallRecord r = SampleRecords.seedSuccess().id("call-5f0c2b1e-8d4a-4f7e-9a51-2f3c9b8e7d10")
                .traceId("4bf92f3577b34da6a3ce929d0e0e4736").spanId("00f067aa0ba902b7")
                .parentSpanId("b7ad6b7169203331").build();
        JsonNode documented = CallRecordJson.mapper().readTree(example);
        JsonNode written = CallRecordJson.mapper().readTree(CallRecordJson.write(r));
        assertEquals(written, documented, "update the example in docs/call-record.md");
    }

    @Test
    void everyFieldIsInAFieldTable() throws Exception {
        String doc = Files.readString(DOC);
        JsonNode written = CallRecordJson.toTree(SampleRecords.rateLimitedFailure().build());
        List<String> missing = new ArrayList<>();
        written.fieldNames().forEachRemaining(f -> {
            if (!doc.contains("`" + f + "`") && !doc.contains("`" + f + ".")) {
                missing.add(f);
            }
        });
        written.get("error").fieldNames().forEachRemaining(f -> {
            if (!doc.contains("`error." + f + "`")) {
                missing.add("error." + f);
            }
        });
        assertTrue(missing.isEmpty(), "undocumented fields: " + missing);
    }
}
