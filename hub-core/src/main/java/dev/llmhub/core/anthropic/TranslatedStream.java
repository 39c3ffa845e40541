package dev.llmhub.core.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.core.provider.ChunkStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A stream in one API's form read from a stream in another's: each source chunk becomes zero or more
 * chunks here ({@link #translate}), and the source's end may add closing ones ({@link #finish}).
 */
abstract class TranslatedStream implements ChunkStream {
    private final ChunkStream source;
    private final Deque<ObjectNode> ready = new ArrayDeque<>();
    private boolean ended;

    TranslatedStream(ChunkStream source) {
        this.source = source;
    }

    @Override
    public final Optional<ObjectNode> next() {
        while (ready.isEmpty() && !ended) {
            Optional<ObjectNode> c = source.next();
            if (c.isEmpty()) {
                ended = true;
                finish();
            } else {
                translate(c.get());
            }
        }
        return Optional.ofNullable(ready.poll());
    }

    /** Turns one source chunk into what it means here, given out through {@link #emit}. */
    abstract void translate(ObjectNode chunk);

    /** The source ended: emits what closes this stream (nothing by default). */
    void finish() {
    }

    /** @param chunk the next chunk of this stream (may still be filled in until {@link #next} returns it) */
    final void emit(ObjectNode chunk) {
        ready.add(chunk);
    }

    @Override
    public final void close() {
        source.close();
    }
}
