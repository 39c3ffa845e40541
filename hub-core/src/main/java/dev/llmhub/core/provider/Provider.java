package dev.llmhub.core.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.core.config.ProviderKind;
import java.util.Optional;

/**
 * Talks to one deployment's upstream in the wire format of the API it is asked for (OpenAI's chat,
 * completions, embeddings or Responses; Anthropic's Messages), among those it {@link #speaks}. One
 * instance per deployment, holding that upstream's pooled client; thread-safe.
 */
public interface Provider extends AutoCloseable {

    /** @return which API flavour this is */
    ProviderKind kind();

    /** @return whether the upstream serves this API natively (the gateway translates chat and messages otherwise) */
    boolean speaks(CallType api);

    /** @return the upstream base URL without credentials or query, for records; empty for mock */
    String apiBase();

    /**
     * @param callType the kind of call
     * @return the URL a try of that kind is sent to, without credentials or query, for records; empty
     *         when no request goes over the network
     */
    default Optional<String> url(CallType callType) {
        return Optional.empty();
    }

    /**
     * @param request the try, in an API this provider {@link #speaks}
     * @return the upstream's JSON answer (2xx), in the same API
     * @throws UpstreamException for any failure, mapped to OpenAI's error vocabulary
     */
    ObjectNode call(UpstreamRequest request);

    /**
     * Opens a stream; returns once the upstream accepted it (2xx), so failures before the first chunk
     * can still be retried or answered with a proper status.
     *
     * @param request the try, its body already has {@code stream: true}
     * @return the chunks (the API's stream events' JSON payloads)
     * @throws UpstreamException when the upstream refuses or cannot be reached
     */
    ChunkStream stream(UpstreamRequest request);

    @Override
    default void close() {
    }
}
