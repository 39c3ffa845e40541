package dev.llmhub.api;

import java.util.Objects;

/**
 * An upstream attempt ended (LiteLLM's {@code log_post_api_call}).
 *
 * @param callId  id of the call; the final {@link CallRecord#id()}
 * @param model   model name the client asked for
 * @param attempt the attempt, with its timing and outcome
 */
public record PostApiCall(String callId, String model, Attempt attempt) {
    public PostApiCall {
        Objects.requireNonNull(callId, "callId is null");
        Objects.requireNonNull(model, "model is null");
        Objects.requireNonNull(attempt, "attempt is null");
    }
}
