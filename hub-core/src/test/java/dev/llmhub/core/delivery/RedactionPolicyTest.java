package dev.llmhub.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.core.record.SampleRecords;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionPolicyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://x.openai.azure.com/openai?api-key=abc, https://x.openai.azure.com/openai",
            "https://user:pw@host:8443/v1?key=1#frag,       https://host:8443/v1",
            "http://localhost:11434,                        http://localhost:11434",
            "https://user:p w@host/v1?key=1,                https://host/v1",
            "not a url?key=secret,                          not a url"})
    void apiBaseLosesCredentialsQueryAndFragment(String apiBase, String stripped) {
        assertEquals(stripped, RedactionPolicy.stripApiBase(apiBase));
    }

    @Test
    void headersAreMatchedWhateverTheirCase() {
        RedactionPolicy p = new RedactionPolicy(List.of("X-Org-Id"), true);
        Map<String, String> out = p.redactHeaders(Map.of("Authorization", "Bearer k", "x-org-id", "o",
                "X-Session-Token", "t", "accept", "*/*"));
        assertEquals(CallRecord.REDACTED, out.get("Authorization"));
        assertEquals(CallRecord.REDACTED, out.get("x-org-id"));
        assertEquals(CallRecord.REDACTED, out.get("X-Session-Token"));
        assertEquals("*/*", out.get("accept"));
    }

    @Test
    void credentialsSentInTheBodyOrMetadataAreRedactedButTokenCountsAreNot() {
        String json = redactedJson(SampleRecords.seedSuccess()
                .requestParams(Map.of("api_key", "sk-body-key", "max_tokens", 10, "temperature", 0.2))
                .metadata(Map.of("tags", List.of("a"), "langfuse", Map.of("langfuse_secret_key", "sk-lf-1",
                        "langfuse_public_key", "pk-lf-1"), "access_token", "t0k")), true);
        assertFalse(json.contains("sk-body-key"), json);
        assertFalse(json.contains("sk-lf-1"), json);
        assertFalse(json.contains("t0k"), json);
        assertTrue(json.contains("\"max_tokens\":10"), json);
        assertTrue(json.contains("\"langfuse_public_key\":\"pk-lf-1\""), json);
    }

    @Test
    void withoutMessageLoggingNoContentStringSurvives() {
        String json = redactedJson(SampleRecords.seedSuccess()
                .messages(List.of(Map.of("role", "user", "content", List.of(
                        Map.of("type", "text", "text", "secret words"),
                        Map.of("type", "image_url", "image_url", Map.of("url", "data:image/png;base64,AAAA")))))), false);
        assertFalse(json.contains("secret words"), json);
        assertFalse(json.contains("base64"), json);
        assertFalse(json.contains("How can I assist"), json);
        assertTrue(json.contains("\"role\":\"assistant\""), json);
        assertTrue(json.contains("\"finish_reason\":\"stop\""), json);
        assertTrue(json.contains("\"prompt_tokens\":11"), json);
    }

    /** The record as a destination gets it: redacted by a policy with no extra headers, serialized. */
    private static String redactedJson(CallRecord.Builder record, boolean messageLogging) {
        return CallRecordJson.write(new RedactionPolicy(List.of(), messageLogging).apply(record.build()));
    }
}
