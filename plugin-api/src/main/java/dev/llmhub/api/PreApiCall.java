package dev.llmhub.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request is about to go upstream (LiteLLM's {@code log_pre_api_call}).
 *
 * @param callId        id of the call; the final {@link CallRecord#id()}
 * @param model         model name the client asked for
 * @param deployment    deployment about to be tried
 * @param callType      which API the client called
 * @param messages      the request's messages (redacted like a record's)
 * @param requestParams the other request parameters
 * @param time          when
 */
public record PreApiCall(String callId, String model, String deployment, CallType callType,
                         List<Map<String, Object>> messages, Map<String, Object> requestParams,
                         Instant time) {
    public PreApiCall {
        Objects.requireNonNull(callId, "callId is null");
        Objects.requireNonNull(model, "model is null");
        Objects.requireNonNull(deployment, "deployment is null");
        Objects.requireNonNull(callType, "callType is null");
        messages = JsonTrees.freezeListOfMaps(messages, "messages");
        requestParams = JsonTrees.freezeMap(requestParams, "requestParams");
        Objects.requireNonNull(time, "time is null");
    }

    /** Shows the call, not its content: messages and parameter values may hold anything. */
    @Override
    public String toString() {
        return "PreApiCall[callId=" + callId + ", model=" + model + ", deployment=" + deployment
                + ", callType=" + callType.wireName() + ", messages=" + messages.size() + "]";
    }
}
