package dev.llmhub.plugin.otel;

import dev.llmhub.api.CallError;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallType;
import dev.llmhub.plugin.kit.BoundedMemo;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The proxy's own HTTP server span for a call, after the HTTP conventions ({@code span.http.server}),
 * with the seed's "Request Input" and "Request Headers" as span events: HTTP facts and redacted
 * headers, never message content (that has its own places on the GenAI span or event).
 */
final class ServerSpan {
    static final String EVENT_REQUEST_INPUT = "llmhub.request.input";
    static final String EVENT_REQUEST_HEADERS = "llmhub.request.headers";

    private static final AttributeKey<String> INPUT_MODEL = AttributeKey.stringKey("model");
    private static final AttributeKey<String> INPUT_CALL_TYPE = AttributeKey.stringKey("call_type");
    private static final AttributeKey<Boolean> INPUT_STREAM = AttributeKey.booleanKey("stream");
    private static final AttributeKey<String> INPUT_REQUEST_PARAMS = AttributeKey.stringKey("request_params");
    private static final AttributeKey<String> INPUT_METADATA = AttributeKey.stringKey("metadata");
    /** A header's attribute key, made (and its name encoded) once per header name. */
    private static final BoundedMemo<String, AttributeKey<String>> HEADER_KEYS = new BoundedMemo<>(4096, AttributeKey::stringKey);
    /** The server a {@code Host} value names: clients send the same few (URI parsing was 8 % of the lane's samples). */
    private static final BoundedMemo<String, Optional<GenAi.Server>> HOSTS = new BoundedMemo<>(1024, ServerSpan::parseHost);

    /** Request parameters that carry content or tool schemas: never in the input event. */
    private static final Set<String> CONTENT_PARAMS = Set.of("tools", "functions", "prediction");

    private ServerSpan() {
    }

    /** @return the path the client called; older records without one get the call type's route */
    static String path(CallRecord r) {
        return r.requestPath().orElse(switch (r.callType()) {
            case CHAT -> "/chat/completions";
            case COMPLETION -> "/completions";
            case EMBEDDING -> "/embeddings";
            case MESSAGES -> "/v1/messages";
            case RESPONSES -> "/v1/responses";
            case OTHER -> "/";
        });
    }

    /**
     * @return {@code {method} {http.route}}; llmhub's routes are fixed paths, so the route is the path. A
     *         refused request on no call's route ({@link CallType#OTHER}) has neither a route nor a method
     *         the record keeps: {@code HTTP}, as the HTTP conventions name such a span
     */
    static String name(CallRecord r) {
        return r.callType() == CallType.OTHER ? "HTTP" : "POST " + path(r);
    }

    /** @return every call is a POST; the record keeps no other method, which the conventions call {@code _OTHER} */
    private static String method(CallRecord r) {
        return r.callType() == CallType.OTHER ? "_OTHER" : "POST";
    }

    /** @return the HTTP status the client got */
    static long status(CallRecord r) {
        return r.error().flatMap(CallError::httpStatus).map(Integer::longValue)
                .orElse(r.status() == CallStatus.SUCCESS ? 200L : 500L);
    }

    /** A server span is an error only for a 5xx: a 4xx is the client's doing (HTTP conventions). */
    static StatusData spanStatus(CallRecord r) {
        return status(r) >= 500 ? StatusData.create(StatusCode.ERROR, r.error().map(ServerSpan::describe).orElse(""))
                : StatusData.unset();
    }

    static String describe(CallError e) {
        return e.type() + ": " + e.message();
    }

    static Attributes attributes(CallRecord r) {
        AttributesBuilder b = Attributes.builder();
        b.put(GenAi.HTTP_REQUEST_METHOD, method(r));
        b.put(GenAi.URL_PATH, path(r));
        // llmhub's server speaks plain HTTP; TLS, when used, ends in front of it.
        b.put(GenAi.URL_SCHEME, "http");
        if (r.callType() != CallType.OTHER) {
            b.put(GenAi.HTTP_ROUTE, path(r));
        }
        long status = status(r);
        b.put(GenAi.HTTP_RESPONSE_STATUS_CODE, status);
        if (status >= 500) {
            b.put(GenAi.ERROR_TYPE, r.error().map(CallError::type).orElse("_OTHER"));
        }
        r.error().ifPresent(e -> b.put(RecordAttributes.ERROR_TYPE, e.type()));
        host(r).ifPresent(s -> s.putInto(b));
        r.clientIp().ifPresent(v -> b.put(GenAi.CLIENT_ADDRESS, v));
        r.userAgent().ifPresent(v -> b.put(GenAi.USER_AGENT, v));
        b.put(RecordAttributes.MODEL_GROUP, r.modelGroup());
        RecordAttributes.putInto(r, b);
        return b.build();
    }

    /** @return the server the client addressed, from its {@code Host} header */
    private static Optional<GenAi.Server> host(CallRecord r) {
        String host = r.headers().get("host");
        return host == null ? Optional.empty() : HOSTS.get(host);
    }

    private static Optional<GenAi.Server> parseHost(String host) {
        if (host.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create("http://" + host.strip());
            return uri.getHost() == null ? Optional.empty()
                    : Optional.of(new GenAi.Server(uri.getHost(), uri.getPort() == -1 ? 80 : uri.getPort()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The seed's "Request Input" and "Request Headers" events, without the caller's key or content. */
    static List<EventData> events(CallRecord r, Function<Object, String> json) {
        long at = GenAiOperation.nanos(r.startTime());
        AttributesBuilder input = Attributes.builder();
        input.put(GenAi.HTTP_REQUEST_METHOD, method(r));
        input.put(GenAi.URL_PATH, path(r));
        input.put(GenAi.URL_SCHEME, "http");
        r.clientIp().ifPresent(v -> input.put(GenAi.CLIENT_ADDRESS, v));
        input.put(INPUT_MODEL, r.model());
        input.put(INPUT_CALL_TYPE, r.callType().wireName());
        input.put(INPUT_STREAM, r.stream());
        Map<String, Object> params = new LinkedHashMap<>(r.requestParams());
        params.keySet().removeAll(CONTENT_PARAMS);
        if (!params.isEmpty()) {
            input.put(INPUT_REQUEST_PARAMS, json.apply(params));
        }
        Map<String, Object> metadata = new LinkedHashMap<>(r.metadata());
        metadata.keySet().removeIf(RecordAttributes::looksSecret);
        if (!metadata.isEmpty()) {
            input.put(INPUT_METADATA, json.apply(metadata));
        }
        AttributesBuilder headers = Attributes.builder();
        r.headers().forEach((name, value) -> headers.put(HEADER_KEYS.get(name),
                RecordAttributes.looksSecret(name) ? CallRecord.REDACTED : value));
        return List.of(EventData.create(at, EVENT_REQUEST_INPUT, input.build()),
                EventData.create(at, EVENT_REQUEST_HEADERS, headers.build()));
    }
}
