package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.Cost;
import java.util.Optional;

/** What the server sends back for a call. */
public sealed interface GatewayResult {

    /**
     * A complete JSON answer (status 200).
     *
     * @param body     the OpenAI response body
     * @param cost     the call's cost, for the {@code x-llmhub-response-cost} header
     * @param recorded wait for the record's journal append before sending the body
     */
    record Completed(ObjectNode body, Optional<Cost> cost, Recorded recorded) implements GatewayResult {
    }

    /**
     * An open upstream stream the server pumps to the client as SSE.
     *
     * @param session the stream
     */
    record Streaming(StreamSession session) implements GatewayResult {
    }

    /**
     * An error answer.
     *
     * @param error    status and OpenAI error body
     * @param recorded wait for the record's journal append before sending the body
     */
    record Failed(ApiError error, Recorded recorded) implements GatewayResult {
    }

    /** The call's record on its way to the journal. */
    @FunctionalInterface
    interface Recorded {
        /** Waits (bounded) until the record is as durable as {@code general_settings.durability} asks. */
        void awaitJournaled();
    }
}
