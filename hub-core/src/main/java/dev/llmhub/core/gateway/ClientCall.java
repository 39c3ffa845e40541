package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.ApiKeyInfo;
import dev.llmhub.api.CallType;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One client request as the server parsed it, before any routing.
 *
 * @param callId     the id of the call and of its record (the {@code x-llmhub-call-id} header)
 * @param callType   which endpoint
 * @param path       the URL path it was called on, e.g. {@code /v1/chat/completions}
 * @param body       the parsed JSON body (any JSON object; validated by the gateway)
 * @param headers    request headers, lower-case names, as received (the sink redacts)
 * @param clientIp   the client's address
 * @param apiKey     the caller's key as hash and alias, when one was presented
 * @param startTime  when the request arrived
 * @param startNanos {@link System#nanoTime()} at arrival, for durations
 */
public record ClientCall(String callId, CallType callType, String path, ObjectNode body, Map<String, String> headers,
                         Optional<String> clientIp,
                         Optional<ApiKeyInfo> apiKey, Instant startTime, long startNanos) {
    public ClientCall {
        Objects.requireNonNull(callId, "callId is null");
        Objects.requireNonNull(callType, "callType is null");
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(body, "body is null");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(clientIp, "clientIp is null");
        Objects.requireNonNull(apiKey, "apiKey is null");
        Objects.requireNonNull(startTime, "startTime is null");
    }
}
