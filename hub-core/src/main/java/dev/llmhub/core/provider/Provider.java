package dev.llmhub.core.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.core.config.ProviderKind;
import java.util.Optional;

/**
 * Talks to one deployment's upstream in OpenAI's wire format. One instance per deployment, holding
 * that upstream's pooled client; thread-safe.
 */
public interface Provider extends AutoCloseable {

    /** @return which API flavour this is */
    ProviderKind kind();

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
     * @param request the try
     * @return the upstream's JSON answer (2xx)
     * @throws UpstreamException for any failure, mapped to OpenAI's error shape
     */
    ObjectNode call(UpstreamRequest request);

    /**
     * Opens a stream; returns once the upstream accepted it (2xx), so failures before the first chunk
     * can still be retried or answered with a proper status.
     *
     * @param request the try, its body already has {@code stream: true}
     * @return the chunks
     * @throws UpstreamException when the upstream refuses or cannot be reached
     */
    ChunkStream stream(UpstreamRequest request);

    @Override
    default void close() {
    }
}
