package dev.llmhub.core.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** The chunks of a streamed upstream answer, in order. Close it to release the connection. */
public interface ChunkStream extends AutoCloseable {
    /**
     * @return the next chunk (an OpenAI {@code chat.completion.chunk} or text-completion chunk, or an
     *         Anthropic or Responses event whose {@code type} is its SSE event name), or empty at the
     *         end of the stream
     * @throws UpstreamException when the upstream breaks off or times out
     */
    Optional<ObjectNode> next();

    @Override
    void close();

    /** @return a stream of chunks already in memory (the mock's answers) */
    static ChunkStream of(List<ObjectNode> chunks) {
        Iterator<ObjectNode> it = List.copyOf(chunks).iterator();
        return new ChunkStream() {
            @Override
            public Optional<ObjectNode> next() {
                return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
            }

            @Override
            public void close() {
            }
        };
    }
}
