package dev.llmhub.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a stream of server-sent events: {@code text/event-stream}, one event per chunk (an
 * {@code event: <name>} line when the API names its events, as Anthropic's and the Responses API do,
 * then {@code data: <json>}), flushed at once. Written on the response's own output stream rather than Helidon's {@code SseSink}, because
 * that sink refuses clients whose {@code Accept} does not list {@code text/event-stream} — and the
 * official Node and Python SDKs send {@code Accept: application/json} even when streaming; OpenAI
 * streams to them regardless, so must we.
 */
final class SseWriter implements AutoCloseable {
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEWLINE = "\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;

    SseWriter(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no"); // nginx: do not buffer the stream
        this.out = res.outputStream();
    }

    /**
     * @param name the event's name, or null for none
     * @param data one event's payload, a single line (compact JSON or {@code [DONE]})
     */
    void event(String name, String data) throws IOException {
        if (name != null) {
            out.write(EVENT);
            out.write(name.getBytes(StandardCharsets.UTF_8));
            out.write(NEWLINE);
        }
        out.write(PREFIX);
        out.write(data.getBytes(StandardCharsets.UTF_8));
        out.write(END);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
