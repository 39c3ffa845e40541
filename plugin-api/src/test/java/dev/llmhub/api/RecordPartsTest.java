package dev.llmhub.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The parts of a record that carry content print none of it, and every missing value is named. */
class RecordPartsTest {
    private static final String SECRET = "my card is 4111-1111";
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<Map<String, Object>> MESSAGES = List.of(Map.of("role", "user", "content", SECRET));

    @Test
    void partsThatCarryContentPrintNone() {
        CallError error = new CallError("invalid_request_error", "bad value: " + SECRET, Optional.of(400), Optional.empty(), false);
        ResponseContent response = new ResponseContent("chatcmpl-1", 1, List.of(Map.of("message", Map.of("content", SECRET))),
                List.of("stop"), Optional.empty());
        CallRecord record = CallRecord.builder().id("call-1").traceId("t").spanId("s").model("m").modelGroup("m")
                .startTime(T).endTime(T).proxy(new ProxyInfo("host", "1")).messages(MESSAGES).response(response)
                .failure(error).requestParams(Map.of("user_secret", SECRET)).build();
        Map<Object, String> shown = Map.of(
                new PreApiCall("call-1", "m", "d", CallType.CHAT, MESSAGES, Map.of("stop", SECRET), T),
                "PreApiCall[callId=call-1, model=m, deployment=d, callType=chat, messages=1]",
                new StreamChunk("call-1", "m", 3, SECRET, T), "StreamChunk[callId=call-1, index=3]",
                response, "ResponseContent[id=chatcmpl-1, choices=1, finishReasons=[stop]]",
                error, "CallError[type=invalid_request_error, httpStatus=400, retryable=false]",
                new PostApiCall("call-1", "m", new Attempt("d", "mock", T, T, CallStatus.FAILURE, Optional.of(error))), "",
                record, "CallRecord[id=call-1, status=failure]");
        shown.forEach((part, expected) -> {
            if (!expected.isEmpty()) {
                assertEquals(expected, part.toString());
            }
            assertFalse(part.toString().contains(SECRET), part.getClass().getSimpleName() + " prints content: " + part);
        });
    }

    @Test
    void missingValuesAreNamed() {
        List<Map<String, Object>> withHole = new ArrayList<>(MESSAGES);
        withHole.add(null);
        assertNamed("messages is null", () -> new PreApiCall("c", "m", "d", CallType.CHAT, null, Map.of(), T));
        assertNamed("messages[1] is null", () -> new PreApiCall("c", "m", "d", CallType.CHAT, withHole, Map.of(), T));
        assertNamed("requestParams is null", () -> new PreApiCall("c", "m", "d", CallType.CHAT, MESSAGES, null, T));
        assertNamed("choices is null", () -> new ResponseContent("r", 1, null, List.of(), Optional.empty()));
        assertNamed("finishReasons is null", () -> new ResponseContent("r", 1, List.of(), null, Optional.empty()));
        assertNamed("delta is null", () -> new StreamChunk("c", "m", 0, null, T));
        assertNamed("error is null", () -> CallRecord.builder().failure(null));
        assertNamed("messages[1] is null", () -> CallRecord.builder().id("c").traceId("t").spanId("s").model("m")
                .modelGroup("m").startTime(T).endTime(T).proxy(new ProxyInfo("h", "1")).messages(withHole).build());
        assertNamed("metadata is null", () -> CallRecord.builder().id("c").traceId("t").spanId("s").model("m")
                .modelGroup("m").startTime(T).endTime(T).proxy(new ProxyInfo("h", "1")).metadata(null).build());
    }

    private static void assertNamed(String message, Executable construction) {
        assertEquals(message, assertThrows(NullPointerException.class, construction).getMessage());
    }
}
