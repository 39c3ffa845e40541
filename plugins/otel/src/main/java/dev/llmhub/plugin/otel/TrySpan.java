package dev.llmhub.plugin.otel;

import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallError;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * One upstream try as the HTTP conventions' client span ({@code span.http.client}): a child of the
 * GenAI span, named {@code POST}, with {@code url.full}, {@code server.address}/{@code server.port},
 * the status received, {@code error.type} and, from the second try on, {@code http.request.resend_count}.
 * It carries no GenAI attributes: a backend counts one GenAI operation per call, however many tries.
 * Tries that went over no network (the built-in mock) have no such span.
 *
 * @param record the call
 * @param index  0 for the first try
 */
record TrySpan(CallRecord record, int index) {
    /** llmhub's error types for a try that got no HTTP answer at all. */
    private static final Set<String> NO_ANSWER = Set.of("api_connection_error", "timeout");

    Attempt attempt() {
        return record.attempts().get(index);
    }

    /** @return whether the try went over the network and so is an HTTP span */
    boolean exists() {
        return attempt().url().isPresent();
    }

    String name() {
        return "POST";
    }

    Instant end() {
        Attempt a = attempt();
        // The try that streamed ends with the stream, not when the upstream accepted it.
        return GenAiOperation.streamedBy(record, a) && record.endTime().isAfter(a.endTime()) ? record.endTime() : a.endTime();
    }

    /**
     * @return the HTTP status the upstream answered: 200 for a try llmhub accepted (it takes only 2xx
     *         answers, and OpenAI-compatible APIs answer these requests with 200), the upstream's status
     *         for a refused try, none when no answer came (connection failure, timeout)
     */
    Optional<Long> statusCode() {
        Attempt a = attempt();
        if (a.status() == CallStatus.SUCCESS) {
            return Optional.of(200L);
        }
        return a.error().filter(e -> !NO_ANSWER.contains(e.type())).flatMap(CallError::httpStatus).map(Integer::longValue);
    }

    /** @return why the try failed: a refused try's status code, else llmhub's error type */
    Optional<String> errorType() {
        Optional<CallError> error = error();
        if (error.isEmpty()) {
            return Optional.empty();
        }
        Optional<Long> status = statusCode();
        return Optional.of(status.filter(s -> s >= 400).map(String::valueOf).orElse(error.get().type()));
    }

    /** @return the try's failure; the try that streamed fails when the stream broke off */
    private Optional<CallError> error() {
        Attempt a = attempt();
        if (a.status() == CallStatus.FAILURE) {
            return a.error().or(record::error);
        }
        return GenAiOperation.streamedBy(record, a) ? record.error() : Optional.empty();
    }

    StatusData status() {
        return error().map(e -> StatusData.create(StatusCode.ERROR, ServerSpan.describe(e))).orElse(StatusData.unset());
    }

    Attributes attributes() {
        Attempt a = attempt();
        AttributesBuilder b = Attributes.builder();
        b.put(GenAi.HTTP_REQUEST_METHOD, "POST");
        a.url().ifPresent(u -> b.put(GenAi.URL_FULL, u));
        GenAi.Server.of(a.url()).ifPresent(s -> s.putInto(b));
        if (index > 0) {
            b.put(GenAi.HTTP_RESEND_COUNT, (long) index);
        }
        statusCode().ifPresent(s -> b.put(GenAi.HTTP_RESPONSE_STATUS_CODE, s));
        errorType().ifPresent(t -> b.put(GenAi.ERROR_TYPE, t));
        error().ifPresent(e -> b.put(RecordAttributes.ERROR_MESSAGE, e.message()));
        b.put(RecordAttributes.CALL_ID, record.id());
        b.put(RecordAttributes.DEPLOYMENT, a.deployment());
        return b.build();
    }
}
