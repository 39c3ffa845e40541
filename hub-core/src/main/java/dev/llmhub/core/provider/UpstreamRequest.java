package dev.llmhub.core.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import java.time.Duration;
import java.util.Objects;

/**
 * What goes upstream for one try.
 *
 * @param callType chat, completion or embedding (selects the path)
 * @param body     the OpenAI request body, model already replaced by the deployment's, proxy-only
 *                 fields removed; providers must not modify it (copy first)
 * @param timeout  how long this try may take
 */
public record UpstreamRequest(CallType callType, ObjectNode body, Duration timeout) {
    public UpstreamRequest {
        Objects.requireNonNull(callType, "callType is null");
        Objects.requireNonNull(body, "body is null");
        Objects.requireNonNull(timeout, "timeout is null");
    }
}
