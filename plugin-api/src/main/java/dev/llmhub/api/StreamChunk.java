package dev.llmhub.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One streamed chunk sent to the client (LiteLLM's {@code log_stream_event}).
 *
 * @param callId id of the call; the final {@link CallRecord#id()}
 * @param model  model name the client asked for
 * @param index  0-based position of the chunk in the stream
 * @param delta  the text the chunk added ({@link CallRecord#REDACTED} when message logging is off)
 * @param time   when it was sent
 */
public record StreamChunk(String callId, String model, int index, String delta, Instant time) {
    public StreamChunk {
        Objects.requireNonNull(callId, "callId is null");
        Objects.requireNonNull(model, "model is null");
        Objects.requireNonNull(delta, "delta is null");
        Objects.requireNonNull(time, "time is null");
    }

    /** Shows the position, not the text: the delta is part of the answer. */
    @Override
    public String toString() {
        return "StreamChunk[callId=" + callId + ", index=" + index + "]";
    }
}
