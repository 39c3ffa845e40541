package dev.llmhub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallType;
import dev.llmhub.core.config.ConfigLoader;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.record.CallRecordJson;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request the proxy refuses before serving it — wrong or missing key, unreadable or invalid body,
 * too large, unknown route, wrong method, its own rate limit — is a call record like any failed call:
 * status, error, client, path and timing, under the id its answer carries, with no secret in it.
 */
class RejectedRequestsTest {
    static final String KEY = "sk-test-master";
    static final String WRONG_KEY = "sk-zqWRONGxw";
    static final String BODY_SECRET = "sk-zqBODYxw";
    static final String USER_AGENT = "rejection-test/1.0";
    @RegisterExtension
    static final TestProxy proxy = new TestProxy("""
                model_list:
                  - model_name: m
                    litellm_params: {model: mock/m, mock_response: "ok"}
                  - model_name: limited
                    litellm_params: {model: mock/limited, mock_response: "ok", rpm: 1}
                general_settings:
                  master_key: %s
                  max_request_size_mb: 0.01
                """.formatted(KEY));

    /** Sends as {@link #USER_AGENT} unless the headers name another. */
    private static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        List<String> all = new ArrayList<>(List.of("User-Agent", USER_AGENT));
        all.addAll(List.of(headers));
        return proxy.send(method, path, body, all.toArray(String[]::new));
    }

    /** @return the one record of the call the answer names, checked for what every refusal's record has */
    private static CallRecord recordOf(HttpResponse<String> answer, int status, CallType type, String path) throws Exception {
        assertEquals(status, answer.statusCode(), answer.body());
        String id = answer.headers().firstValue(CallIdFilter.HEADER).orElseThrow();
        List<CallRecord> records = proxy.sink.awaitRecords(r -> r.id().equals(id));
        assertEquals(1, records.size(), "one record under the answer's call id " + id);
        CallRecord r = records.get(0);
        assertEquals(CallStatus.FAILURE, r.status());
        assertEquals(Optional.of(status), r.error().orElseThrow().httpStatus());
        assertEquals(type, r.callType());
        assertEquals(Optional.of(path), r.requestPath());
        assertEquals(Optional.of("127.0.0.1"), r.clientIp());
        assertEquals(Optional.of(USER_AGENT), r.userAgent());
        assertTrue(r.attempts().isEmpty(), "refused before any upstream try");
        assertTrue(!r.endTime().isBefore(r.startTime()), r.startTime() + " .. " + r.endTime());
        String json = CallRecordJson.write(r);
        for (String secret : List.of(KEY, WRONG_KEY, BODY_SECRET)) {
            assertFalse(json.contains(secret), "the record holds a secret: " + json);
        }
        return r;
    }

    @Test
    void aWrongKeyIsRecordedWithTheKeysHashNeverTheKey() throws Exception {
        CallRecord r = recordOf(send("POST", "/v1/chat/completions", "{\"model\":\"m\"}", "Authorization", "Bearer " + WRONG_KEY),
                401, CallType.CHAT, "/v1/chat/completions");
        assertEquals("authentication_error", r.error().orElseThrow().type());
        assertEquals(Optional.of("invalid_api_key"), r.error().orElseThrow().providerCode());
        assertEquals(KeyHasher.sha256(WRONG_KEY), r.apiKey().orElseThrow().hash());
        assertEquals(Optional.empty(), r.apiKey().orElseThrow().alias());
        assertEquals(CallRecord.REDACTED, r.headers().get("authorization"));
        assertEquals("", r.model(), "the body of an unauthenticated request is never read");
        assertTrue(r.messages().isEmpty());

        CallRecord missing = recordOf(send("POST", "/v1/messages", "{}"), 401, CallType.MESSAGES, "/v1/messages");
        assertTrue(missing.apiKey().isEmpty());
    }

    @Test
    void unreadableInvalidAndOversizedBodiesAreRecordedWithoutTheBody() throws Exception {
        String auth = "Bearer " + KEY;
        CallRecord broken = recordOf(send("POST", "/chat/completions", "{\"model\": \"m\", \"api_key\": \"" + BODY_SECRET
                + "\", \"messages\": [", "Authorization", auth), 400, CallType.CHAT, "/chat/completions");
        assertEquals("invalid_request_error", broken.error().orElseThrow().type());
        assertEquals(Optional.of("master_key"), broken.apiKey().orElseThrow().alias());
        assertTrue(broken.requestParams().isEmpty() && broken.messages().isEmpty());

        CallRecord invalid = recordOf(send("POST", "/v1/embeddings", "{\"model\":\"m\",\"user\":\"invalid-body\"}",
                "Authorization", auth), 400, CallType.EMBEDDING, "/v1/embeddings");
        assertEquals("m", invalid.model(), "a parsed body's fields are in the record");
        assertEquals(Optional.of("invalid-body"), invalid.user());

        String big = "{\"model\":\"m\",\"api_key\":\"" + BODY_SECRET + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "a".repeat(20_000) + "\"}]}";
        CallRecord tooLarge = recordOf(send("POST", "/v1/responses", big, "Authorization", auth), 413, CallType.RESPONSES,
                "/v1/responses");
        assertEquals(Optional.of("request_too_large"), tooLarge.error().orElseThrow().providerCode());
    }

    @Test
    void unknownRoutesAndWrongMethodsOnTheApiAreRecorded() throws Exception {
        String auth = "Bearer " + KEY;
        CallRecord unknown = recordOf(send("GET", "/v1/nothing-here", null, "Authorization", auth), 404, CallType.OTHER,
                "/v1/nothing-here");
        assertEquals(Optional.of("not_found"), unknown.error().orElseThrow().providerCode());
        HttpResponse<String> wrongMethod = send("GET", "/v1/chat/completions", null, "Authorization", auth);
        assertEquals("POST", wrongMethod.headers().firstValue("allow").orElseThrow(), "the Allow header survives");
        recordOf(wrongMethod, 405, CallType.CHAT, "/v1/chat/completions");
        recordOf(send("GET", "/v1/models", null), 401, CallType.OTHER, "/v1/models");
    }

    @Test
    void theProxysOwnRateLimitIsARejection() throws Exception {
        String body = "{\"model\":\"limited\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        assertEquals(200, send("POST", "/v1/chat/completions", body, "Authorization", "Bearer " + KEY).statusCode());
        CallRecord limited = recordOf(send("POST", "/v1/chat/completions", body, "Authorization", "Bearer " + KEY), 429,
                CallType.CHAT, "/v1/chat/completions");
        assertEquals("rate_limit_error", limited.error().orElseThrow().type());
        assertEquals("limited", limited.modelGroup());
    }

    @Test
    void healthMetricsAndAdminAnswersAreNoCalls() throws Exception {
        int before = proxy.sink.records.size();
        assertEquals(404, send("GET", "/health/nothing", null).statusCode());
        HttpResponse<String> admin = send("GET", "/admin/lanes", null, "Authorization", "Bearer " + WRONG_KEY);
        assertEquals(401, admin.statusCode());
        assertTrue(admin.headers().firstValue(CallIdFilter.HEADER).isEmpty());
        // a call after them: once its record is in, theirs would have been too
        HttpResponse<String> marker = send("GET", "/v1/marker", null, "Authorization", "Bearer " + KEY);
        recordOf(marker, 404, CallType.OTHER, "/v1/marker");
        assertEquals(before + 1, proxy.sink.records.size(), "only the API request made a record");
    }

    @Test
    void aRefusedNoLogCallStaysUnrecorded() throws Exception {
        HttpResponse<String> res = send("POST", "/v1/chat/completions", "{\"model\":\"m\",\"no-log\":true}",
                "Authorization", "Bearer " + KEY);
        assertEquals(400, res.statusCode());
        String id = res.headers().firstValue(CallIdFilter.HEADER).orElseThrow();
        recordOf(send("GET", "/v1/after-no-log", null, "Authorization", "Bearer " + KEY), 404, CallType.OTHER, "/v1/after-no-log");
        assertTrue(proxy.sink.records.stream().noneMatch(r -> r.id().equals(id)));
        assertFalse(proxy.get("/metrics").body().contains("llmhub_rejected_records_skipped_total{status=\"400\"}"),
                "a no-log call is not a skipped record");
    }

    @Test
    void aFloodOfRefusalsIsCappedPerSecondAndEverySkippedOneCounted() throws Exception {
        HubConfig original = proxy.gateway.config();
        try {
            proxy.gateway.apply(withRejectedRequests("{max_per_second: 2}"));
            String flood = "flood/1.0";
            long skippedBefore = skipped(401);
            int sent = 0;
            long t0 = System.nanoTime();
            for (; sent < 30; sent++) {
                assertEquals(401, send("POST", "/v1/chat/completions", "{}", "Authorization", "Bearer " + WRONG_KEY,
                        "User-Agent", flood).statusCode());
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            // the first second's budget may be spent already by the calls before: at most 2 a second
            long recorded = count(flood);
            assertTrue(recorded <= 2 * (seconds + 2), recorded + " records in " + seconds + " s");
            // a later second has room again: refusals until one is recorded
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (count(flood) == recorded && System.nanoTime() < deadline) {
                send("POST", "/v1/chat/completions", "{}", "Authorization", "Bearer " + WRONG_KEY, "User-Agent", flood);
                sent++;
            }
            assertTrue(count(flood) > recorded, "no refusal recorded in 10 s");
            assertEquals(sent - count(flood), skipped(401) - skippedBefore, "recorded + skipped = refused");
            // a good call still gets its record
            HttpResponse<String> good = send("POST", "/v1/chat/completions",
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "Authorization", "Bearer " + KEY);
            String id = good.headers().firstValue(CallIdFilter.HEADER).orElseThrow();
            assertEquals(CallStatus.SUCCESS, proxy.sink.awaitRecords(r -> r.id().equals(id)).get(0).status());

            proxy.gateway.apply(withRejectedRequests("{record: false}"));
            long notFoundBefore = skipped(404);
            int before = proxy.sink.records.size();
            for (int i = 0; i < 3; i++) {
                assertEquals(404, send("GET", "/v1/nothing", null, "Authorization", "Bearer " + KEY).statusCode());
            }
            assertEquals(before, proxy.sink.records.size());
            assertEquals(3, skipped(404) - notFoundBefore);
        } finally {
            proxy.gateway.apply(original);
        }
    }

    private static long count(String userAgent) {
        return proxy.sink.records.stream().filter(r -> r.userAgent().orElse("").equals(userAgent)).count();
    }

    /** A config with {@code general_settings.rejected_requests} set, applied as a live reload would. */
    private static HubConfig withRejectedRequests(String yaml) {
        return new ConfigLoader().parse("flood.yaml", Path.of("flood.yaml"), """
                model_list:
                  - model_name: m
                    litellm_params: {model: mock/m, mock_response: "ok"}
                general_settings:
                  master_key: %s
                  rejected_requests: %s
                """.formatted(KEY, yaml));
    }

    private static long skipped(int status) throws Exception {
        Matcher m = Pattern.compile("llmhub_rejected_records_skipped_total\\{status=\"" + status + "\"} ([0-9.E]+)")
                .matcher(proxy.get("/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
