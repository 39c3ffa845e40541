package dev.llmhub.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the client received (for a stream: the chunks assembled into one response).
 *
 * @param id                 the response id, e.g. {@code chatcmpl-…}
 * @param created            the response's {@code created} epoch seconds
 * @param choices            the OpenAI {@code choices} array as a JSON tree (message/text, tool calls,
 *                           finish_reason); empty for embeddings; text replaced when message logging
 *                           is off
 * @param finishReasons      finish reason of each choice, in order
 * @param systemFingerprint  the provider's {@code system_fingerprint}, when sent
 * @param serviceTier        the provider's {@code service_tier} (the tier that served the request), when sent
 */
public record ResponseContent(String id, long created, List<Map<String, Object>> choices,
                              List<String> finishReasons, Optional<String> systemFingerprint,
                              Optional<String> serviceTier) {
    public ResponseContent {
        Objects.requireNonNull(id, "id is null");
        choices = JsonTrees.freezeListOfMaps(choices, "choices");
        finishReasons = List.copyOf(Objects.requireNonNull(finishReasons, "finishReasons is null"));
        Objects.requireNonNull(systemFingerprint, "systemFingerprint is null");
        Objects.requireNonNull(serviceTier, "serviceTier is null");
    }

    /** The 0.1 constructor, without the service tier: kept so plugins built against 0.1 still link. */
    public ResponseContent(String id, long created, List<Map<String, Object>> choices, List<String> finishReasons,
                           Optional<String> systemFingerprint) {
        this(id, created, choices, finishReasons, systemFingerprint, Optional.empty());
    }

    /** Shows the shape only: the choices hold the answer's text. */
    @Override
    public String toString() {
        return "ResponseContent[id=" + id + ", choices=" + choices.size() + ", finishReasons=" + finishReasons + "]";
    }
}
