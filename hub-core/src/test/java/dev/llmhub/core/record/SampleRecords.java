package dev.llmhub.core.record;

import dev.llmhub.api.ApiKeyInfo;
import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallError;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Cost;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Fully populated, already redacted call records shaped like the seed's example call, for tests of
 * the pipeline and of destination plugins (shared through hub-core's test-jar).
 */
public final class SampleRecords {
    private SampleRecords() {
    }

    /** @return a builder for the seed's successful chat call with a fresh id and trace */
    public static CallRecord.Builder seedSuccess() {
        Instant start = Instant.parse("2026-11-26T10:15:30.120Z");
        Instant attemptStart = start.plusMillis(3);
        Instant attemptEnd = start.plusMillis(412);
        Instant end = start.plusMillis(418);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "0.0.0.0:8000");
        headers.put("user-agent", "curl/7.88.1");
        headers.put("accept", "*/*");
        headers.put("authorization", CallRecord.REDACTED);
        headers.put("content-length", "199");
        headers.put("content-type", "application/x-www-form-urlencoded");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("tags", List.of("prod", "checkout"));
        metadata.put("session_id", "session-42");
        metadata.put("trace_name", "greeting");
        String id = "call-" + UUID.randomUUID();
        return CallRecord.builder()
                .id(id)
                .traceId(hex(32))
                .spanId(hex(16))
                .callType(CallType.CHAT)
                .requestPath("/chat/completions")
                .stream(false)
                .success()
                .model("gpt-3.5-turbo")
                .modelGroup("gpt-3.5-turbo")
                .deployment("gpt-3.5-turbo-0")
                .provider("openai")
                .apiBase("https://api.openai.com/v1")
                .upstreamModel("gpt-3.5-turbo")
                .responseModel("gpt-3.5-turbo-0613")
                .attempts(List.of(new Attempt("gpt-3.5-turbo-0", "openai",
                        Optional.of("https://api.openai.com/v1/chat/completions"), attemptStart, attemptEnd,
                        CallStatus.SUCCESS, Optional.empty())))
                .messages(List.of(Map.of("role", "user", "content", "good morning good sir")))
                .response(new ResponseContent("chatcmpl-8S8avKJ1aVBg941y5xzGMSKrYCMvN", 1701716913L,
                        List.of(Map.of("index", 0, "finish_reason", "stop",
                                "message", Map.of("role", "assistant",
                                        "content", "Good morning! How can I assist you today?"))),
                        List.of("stop"), Optional.empty(), Optional.empty()))
                .requestParams(Map.of("temperature", 0.2))
                .usage(new Usage(11, 10, 21, 0, 0, Usage.Source.PROVIDER))
                .cost(new Cost(1.65e-05, 2.0e-05, 3.65e-05, "USD", Cost.Source.CONFIG))
                .startTime(start)
                .endTime(end)
                .upstreamLatencyMs(409)
                .overheadMs(9)
                .user("ishaan-app")
                .endUser("ishaan-app")
                .apiKey(new ApiKeyInfo("88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b", Optional.of("master")))
                .clientIp("127.0.0.1")
                .userAgent("curl/7.88.1")
                .metadata(metadata)
                .headers(headers)
                .proxy(new ProxyInfo("test-host", "0.1.0-SNAPSHOT"));
    }

    /** @return a builder for a failed call: the upstream answered 429 on the only attempt */
    public static CallRecord.Builder rateLimitedFailure() {
        CallRecord ok = seedSuccess().build();
        CallError error = new CallError("rate_limit_error", "upstream rate limit reached",
                Optional.of(429), Optional.of("rate_limit_exceeded"), true);
        Attempt a = ok.attempts().get(0);
        return ok.toBuilder()
                .failure(error)
                .response(null)
                .responseModel(null)
                .usage(new Usage(11, 0, 11, 0, 0, Usage.Source.ESTIMATED))
                .cost(null)
                .attempts(List.of(new Attempt(a.deployment(), a.provider(), a.url(), a.startTime(), a.endTime(),
                        CallStatus.FAILURE, Optional.of(error))));
    }

    private static String hex(int chars) {
        String s = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        return s.substring(0, chars);
    }
}
