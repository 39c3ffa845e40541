package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.core.journal.Append;

/**
 * Where the request path hands what it observes about each call. Every method returns at once and
 * never waits for a destination or a callback handler. Values come in unredacted (headers as the
 * client sent them, lower-case names, the always-secret ones already replaced; the caller's key
 * reduced to a hash); the sink redacts them before they are kept anywhere. The events before the
 * record do nothing unless a sink wants them: a sink that keeps only records implements {@link #publish}.
 */
public interface CallSink {

    /** @param event a request is about to go upstream */
    default void preApiCall(PreApiCall event) {
    }

    /** @param event an upstream attempt ended */
    default void postApiCall(PostApiCall event) {
    }

    /** @param chunk a streamed chunk was sent to the client */
    default void streamChunk(StreamChunk chunk) {
    }

    /**
     * @param record the finished call, exactly once per client call
     * @return the record's journal append: the response's last byte waits for it
     */
    Append publish(CallRecord record);

    /** @return a sink that drops everything, for tests and for calls marked {@code no-log} */
    static CallSink noop() {
        return NoopCallSink.INSTANCE;
    }
}
