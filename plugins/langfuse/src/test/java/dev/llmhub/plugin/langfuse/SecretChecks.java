package dev.llmhub.plugin.langfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The no-secret check shared by both modes. */
final class SecretChecks {
    /** The key a client sent in its headers; the core redacted it before the plugin saw the record. */
    static final String CLIENT_KEY = "sk-client-DISTINCTIVE-9c1e4b";

    private SecretChecks() {
    }

    static void assertNoSecretSent(LangfuseStandIn standIn, TestPluginContext context) {
        Map<String, String> headers = new LinkedHashMap<>(SampleRecords.seedSuccess().build().headers());
        headers.put("authorization", CallRecord.REDACTED);
        headers.put("x-api-key", CallRecord.REDACTED);
        headers.put("cookie", CallRecord.REDACTED);
        CallRecord r = SampleRecords.seedSuccess().headers(headers).build();
        try (Destination d = new LangfuseDestinationFactory().create(context)) {
            assertEquals(ExportResult.success(), d.export(List.of(r, SampleRecords.rateLimitedFailure().headers(headers).build())));
        }
        String basic = Base64.getEncoder().encodeToString(
                (LangfuseStandIn.PUBLIC_KEY + ":" + LangfuseStandIn.SECRET_KEY).getBytes(StandardCharsets.UTF_8));
        List<LangfuseStandIn.Received> received = standIn.received();
        assertFalse(received.isEmpty());
        for (LangfuseStandIn.Received req : received) {
            String body = new String(req.body(), StandardCharsets.ISO_8859_1);
            for (String secret : List.of(CLIENT_KEY, LangfuseStandIn.SECRET_KEY, basic)) {
                assertFalse(body.contains(secret), "a secret is in the body sent to " + req.path());
            }
            req.headers().forEach((name, values) -> {
                String joined = String.join(",", values);
                assertFalse(joined.contains(CLIENT_KEY) || joined.contains(LangfuseStandIn.SECRET_KEY), name);
                if (!name.equalsIgnoreCase("Authorization")) {
                    assertFalse(joined.contains(basic), name);
                }
            });
            assertEquals("Basic " + basic, req.header("Authorization"));
        }
        String logs = String.join("\n", context.logger().lines());
        assertFalse(logs.contains(LangfuseStandIn.SECRET_KEY) || logs.contains(basic));
        assertTrue(standIn.violations().isEmpty(), standIn.violations().toString());
    }
}
