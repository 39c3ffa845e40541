package dev.llmhub.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.core.config.DeliveryConfig;
import dev.llmhub.core.delivery.TestDelivery;
import dev.llmhub.core.delivery.Waits;
import dev.llmhub.core.record.SampleRecords;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends distinctive secrets through the whole pipeline into real plugins and searches everything every
 * destination and handler received: zero hits.
 */
class RedactionEndToEndTest {
    private static final String KEY = "sk-DISTINCTIVE-KEY-8c1f";
    private static final String COOKIE = "session=DISTINCTIVE-COOKIE-77aa";
    private static final String TENANT = "DISTINCTIVE-TENANT-3b9e";
    private static final String QUERY_KEY = "DISTINCTIVE-QUERY-KEY-51d0";
    private static final String PASSWORD = "DISTINCTIVE-PASSWORD-e2c4";
    private static final String MESSAGE = "DISTINCTIVE-MESSAGE-TEXT-90ab";
    private static final String ANSWER = "DISTINCTIVE-ANSWER-TEXT-c3d2";
    private static final String TOOL_ARGS = "DISTINCTIVE-TOOL-ARGS-4410";

    @TempDir
    Path plugins;

    private static CallRecord secretRecord(CallRecord.Builder b) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("authorization", "Bearer " + KEY);
        headers.put("Proxy-Authorization", "Basic " + KEY);
        headers.put("api-key", KEY);
        headers.put("x-api-key", KEY);
        headers.put("cookie", COOKIE);
        headers.put("set-cookie", COOKIE);
        headers.put("x-tenant", TENANT);
        headers.put("x-goog-api-key", KEY);
        headers.put("user-agent", "curl/8");
        return b.headers(headers)
                .apiBase("https://svc:" + PASSWORD + "@example.openai.azure.com/openai?api-key=" + QUERY_KEY + "#" + QUERY_KEY)
                .messages(List.of(Map.of("role", "user", "content", MESSAGE),
                        Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", MESSAGE)))))
                .build();
    }

    @Test
    void noSecretReachesAnyPluginAndMessageTextObeysMessageLogging() {
        BuiltPlugins.install(BuiltPlugins.faulty(), plugins);
        List<String> full = new CopyOnWriteArrayList<>();
        List<String> noMessages = new CopyOnWriteArrayList<>();
        List<String> handler = new CopyOnWriteArrayList<>();
        Map<String, Map<String, Object>> settings = new HashMap<>();
        settings.put("faulty.collect", PluginFaultsTest.sinkTo(full, "flush_interval", "10ms"));
        settings.put("faulty.slow", PluginFaultsTest.sinkTo(noMessages, "delay_ms", 1, "flush_interval", "10ms",
                "message_logging", false));
        settings.put("faulty.handler", PluginFaultsTest.sinkTo(handler));
        TestDelivery rt = TestDelivery.start(plugins, TestDelivery.config(List.of("faulty.collect", "faulty.handler"),
                List.of("faulty.slow"), settings, List.of("X-Tenant")));
        try {
            CallRecord ok = secretRecord(SampleRecords.seedSuccess()
                    .response(new ResponseContent("chatcmpl-1", 1L, List.of(Map.of("index", 0, "finish_reason", "tool_calls",
                            "message", Map.of("role", "assistant", "content", ANSWER, "tool_calls", List.of(Map.of(
                                    "id", "call_1", "type", "function",
                                    "function", Map.of("name", "get_weather", "arguments", TOOL_ARGS)))))),
                            List.of("tool_calls"), Optional.empty(), Optional.empty())));
            CallRecord failed = secretRecord(SampleRecords.rateLimitedFailure());
            rt.delivery.sink().preApiCall(new PreApiCall(ok.id(), ok.model(), "d0", CallType.CHAT, ok.messages(), Map.of(), Instant.now()));
            rt.delivery.sink().streamChunk(new StreamChunk(ok.id(), ok.model(), 0, ANSWER, Instant.now()));
            rt.publish(ok);
            rt.publish(failed);
            Waits.until(Duration.ofSeconds(20), "every plugin to receive", rt.delivery::lanes,
                    () -> full.size() == 2 && noMessages.size() == 1 && handler.size() == 4);
        } finally {
            rt.close();
        }
        // success_callback: the failed record never reached that lane.
        assertEquals(1, noMessages.size(), noMessages.toString());
        List<String> everything = new ArrayList<>(full);
        everything.addAll(noMessages);
        everything.addAll(handler);
        for (String secret : List.of(KEY, COOKIE, "DISTINCTIVE-COOKIE", TENANT, QUERY_KEY, PASSWORD)) {
            for (String received : everything) {
                assertFalse(received.contains(secret), "a plugin received " + secret + ": " + received);
            }
        }
        // The redacted headers are still there, marked; api_base keeps host and path.
        assertTrue(full.get(0).contains("\"authorization\":\"[REDACTED]\""), full.get(0));
        assertTrue(full.get(0).contains("\"x-tenant\":\"[REDACTED]\""), full.get(0));
        assertTrue(full.get(0).contains("\"api_base\":\"https://example.openai.azure.com/openai\""), full.get(0));
        assertTrue(full.get(0).contains("\"user-agent\":\"curl/8\""), full.get(0));
        // message_logging: false for one destination: no message, answer or tool argument text there...
        for (String text : List.of(MESSAGE, ANSWER, TOOL_ARGS)) {
            assertFalse(noMessages.get(0).contains(text), "message text leaked: " + noMessages.get(0));
        }
        assertTrue(noMessages.get(0).contains("\"name\":\"get_weather\""), "structure is kept: " + noMessages.get(0));
        // ...while the others, with message logging on, keep it.
        assertTrue(full.stream().anyMatch(s -> s.contains(ANSWER) && s.contains(TOOL_ARGS)));
        assertEquals(1, handler.stream().filter(s -> s.startsWith("pre:") && s.contains(MESSAGE)).count());
    }

    @Test
    void turnOffMessageLoggingRedactsEveryContentPathIncludingEvents() {
        BuiltPlugins.install(BuiltPlugins.faulty(), plugins);
        List<String> handler = new CopyOnWriteArrayList<>();
        DeliveryConfig config = new DeliveryConfig(List.of("faulty.handler"), List.of(), List.of(), false,
                Map.of("faulty.handler", PluginFaultsTest.sinkTo(handler)), Map.of(), true, List.of(), Map.of());
        TestDelivery rt = TestDelivery.start(plugins, config);
        try {
            CallRecord ok = secretRecord(SampleRecords.seedSuccess());
            rt.delivery.sink().preApiCall(new PreApiCall(ok.id(), ok.model(), "d0", CallType.CHAT, ok.messages(), Map.of(), Instant.now()));
            rt.delivery.sink().streamChunk(new StreamChunk(ok.id(), ok.model(), 0, ANSWER, Instant.now()));
            rt.publish(ok);
            Waits.until(Duration.ofSeconds(20), "the handler", rt.delivery::lanes, () -> handler.size() == 3);
        } finally {
            rt.close();
        }
        for (String received : handler) {
            for (String text : List.of(MESSAGE, ANSWER, "Good morning! How can I assist you today?", KEY)) {
                assertFalse(received.contains(text), "leaked " + text + ": " + received);
            }
        }
        assertTrue(handler.contains("chunk:[REDACTED]"), handler.toString());
    }
}
