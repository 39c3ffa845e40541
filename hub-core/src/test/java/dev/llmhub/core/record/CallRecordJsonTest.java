package dev.llmhub.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallRecordJsonTest {

    @Test
    void writesTheDocumentedSnakeCaseForm() throws Exception {
        CallRecord r = SampleRecords.seedSuccess().build();
        JsonNode n = CallRecordJson.mapper().readTree(CallRecordJson.write(r));
        assertEquals(r.id(), n.get("id").asText());
        assertEquals("chat", n.get("call_type").asText());
        assertEquals("success", n.get("status").asText());
        assertTrue(n.get("error").isNull());
        assertEquals(11, n.at("/usage/prompt_tokens").asInt());
        assertEquals(3.65e-05, n.at("/cost/total").asDouble());
        assertEquals("stop", n.at("/response/finish_reasons/0").asText());
        assertEquals("good morning good sir", n.at("/messages/0/content").asText());
        assertEquals("2026-11-26T10:15:30.120Z", n.get("start_time").asText());
        assertEquals(418, n.get("duration_ms").asLong());
        assertEquals(CallRecord.REDACTED, n.at("/headers/authorization").asText());
        assertEquals(List.of("prod", "checkout"),
                List.of(n.at("/metadata/tags/0").asText(), n.at("/metadata/tags/1").asText()));
    }

    @Test
    void failureCarriesTheError() throws Exception {
        JsonNode n = CallRecordJson.mapper().readTree(CallRecordJson.write(SampleRecords.rateLimitedFailure().build()));
        assertEquals("failure", n.get("status").asText());
        assertEquals(429, n.at("/error/http_status").asInt());
        assertTrue(n.at("/error/retryable").asBoolean());
        assertTrue(n.get("response").isNull());
        assertFalse(n.at("/attempts/0/error").isNull());
    }

    @Test
    void toStringNeverShowsContent() {
        String s = SampleRecords.seedSuccess().build().toString();
        assertFalse(s.contains("good morning"));
        assertFalse(s.contains("ishaan"));
    }
}
