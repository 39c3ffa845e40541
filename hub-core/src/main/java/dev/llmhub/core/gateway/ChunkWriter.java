package dev.llmhub.core.gateway;

import java.io.IOException;

/** Where a {@link StreamSession} writes each server-sent event (the server's SSE writer). */
@FunctionalInterface
public interface ChunkWriter {
    /**
     * @param event the SSE event name ({@code event:} line), or null for none (OpenAI's chat streams)
     * @param data  one payload, a single line (compact JSON or {@code [DONE]})
     * @throws IOException when the client is gone
     */
    void write(String event, String data) throws IOException;
}
