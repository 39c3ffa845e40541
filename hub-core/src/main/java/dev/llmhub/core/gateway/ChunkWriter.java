package dev.llmhub.core.gateway;

import java.io.IOException;

/** Where a {@link StreamSession} writes each SSE {@code data:} payload (the server's SSE sink). */
@FunctionalInterface
public interface ChunkWriter {
    /**
     * @param json one chunk (or {@code [DONE]})
     * @throws IOException when the client is gone
     */
    void write(String json) throws IOException;
}
