package dev.llmhub.server.console;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.delivery.Delivery;
import dev.llmhub.core.journal.Entry;
import dev.llmhub.core.journal.JournalClosedException;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.core.search.CallFilter;
import dev.llmhub.core.search.CallSearch;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls page's live tail: server-sent events, one {@code call} event per new matching record (its
 * list row as JSON, its journal offset as the event id, so a reconnecting browser resumes with
 * {@code Last-Event-ID}). The journal is polled every {@link #POLL} from the request's own (virtual)
 * thread; a comment every {@link #PING} finds closed connections. At most {@link #MAX_STREAMS} at once.
 */
final class LiveTail {
    static final Duration POLL = Duration.ofMillis(250);
    static final Duration PING = Duration.ofSeconds(10);
    static final int MAX_STREAMS = 16;
    private static final int MAX_READ = 200;

    private final CallSearch search;
    private final Delivery delivery;
    private final AtomicInteger open = new AtomicInteger();

    LiveTail(CallSearch search, Delivery delivery) {
        this.search = search;
        this.delivery = delivery;
    }

    /** @return whether another stream may open (then {@link #stream} must follow) */
    boolean tryOpen() {
        if (open.incrementAndGet() > MAX_STREAMS) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Streams until the client goes away, the server stops or the journal closes.
     *
     * @param after the last offset the page already shows
     */
    void stream(ServerResponse res, CallFilter filter, long after) {
        try {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            res.header(HeaderNames.create("X-Accel-Buffering"), "no");
            try (OutputStream out = res.outputStream()) {
                write(out, "retry: 2000\n\n");
                long last = after;
                long lastWrite = System.nanoTime();
                while (!Thread.currentThread().isInterrupted()) {
                    CallSearch.Tail t = search.after(last, filter, MAX_READ);
                    for (Entry<CallRecord> e : t.calls()) {
                        write(out, "id: " + e.offset() + "\nevent: call\ndata: " + CallRecordJson.write(
                                CallViews.row(e, delivery.statesOf(e.offset(), e.value().status()))) + "\n\n");
                        lastWrite = System.nanoTime();
                    }
                    boolean readSome = t.last() != last;
                    last = t.last();
                    if (System.nanoTime() - lastWrite > PING.toNanos()) {
                        write(out, ": ping\n\n");
                        lastWrite = System.nanoTime();
                    }
                    if (!readSome) {
                        Thread.sleep(POLL);
                    }
                }
            }
        } catch (IOException | UncheckedIOException | JournalClosedException e) {
            // the browser went away, or the proxy is stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.decrementAndGet();
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
