package dev.llmhub.core.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import dev.llmhub.core.provider.Json;
import java.io.IOException;
import java.util.Optional;

/**
 * One API's side of a stream: what the client gets for each upstream chunk (in that API's own
 * event format), and the chunks folded back into the one response a non-streamed call would have
 * returned, for the record. One instance per stream; not thread-safe.
 */
interface StreamFold {

    /**
     * Folds a chunk in and writes what the client gets for it.
     *
     * @return the generated text it adds (for the stream event), or null when nothing was sent
     */
    String relay(ObjectNode chunk, ChunkWriter out) throws IOException;

    /** @return whether the chunk carries generated content (text or a tool call), for the first-token time */
    boolean isContent(ObjectNode chunk);

    /** @return the provider's usage, when the stream carried it */
    Optional<Usage> usage();

    /** @return the model the provider reported */
    Optional<String> model();

    /** @return all generated text and tool arguments so far, for estimating completion tokens */
    String allText();

    /** @return the assembled response, in the record's chat shape */
    ResponseContent response(String fallbackId);

    /**
     * Writes what ends a complete stream after the last chunk.
     *
     * @param usage  the call's usage (the provider's, else estimated)
     * @param callId the record's id
     * @param model  the response model
     */
    void end(Usage usage, String callId, String model, ChunkWriter out) throws IOException;

    /** Writes a failure after the stream started, in the API's own error event. */
    void error(ApiError error, ChunkWriter out) throws IOException;

    /** @return compact JSON */
    static String json(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
