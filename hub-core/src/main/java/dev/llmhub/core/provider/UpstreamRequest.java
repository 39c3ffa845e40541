package dev.llmhub.core.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What goes upstream for one try.
 *
 * @param callType chat, completion or embedding (selects the path)
 * @param body     the OpenAI request body, model already replaced by the deployment's, proxy-only
 *                 fields removed; providers must not modify it (copy first)
 * @param timeout  how long this try may take
 * @param headers  headers of the upstream's own API the client sent and that go along when the call
 *                 is passed through (Anthropic's {@code anthropic-beta}); never credentials
 */
public record UpstreamRequest(CallType callType, ObjectNode body, Duration timeout, Map<String, String> headers) {
    public UpstreamRequest {
        Objects.requireNonNull(callType, "callType is null");
        Objects.requireNonNull(body, "body is null");
        Objects.requireNonNull(timeout, "timeout is null");
        headers = Map.copyOf(headers);
    }

    /** A try with no headers passed along. */
    public UpstreamRequest(CallType callType, ObjectNode body, Duration timeout) {
        this(callType, body, timeout, Map.of());
    }
}
