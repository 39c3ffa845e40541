package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;

/**
 * Where the request path hands what it observes about each call. Every method returns at once and
 * never waits for a destination or a callback handler. Values come in unredacted (headers as the
 * client sent them, lower-case names; the caller's key already reduced to a hash); the sink redacts
 * them before any plugin sees them.
 */
public interface CallSink {

    /** @param event a request is about to go upstream */
    void preApiCall(PreApiCall event);

    /** @param event an upstream attempt ended */
    void postApiCall(PostApiCall event);

    /** @param chunk a streamed chunk was sent to the client */
    void streamChunk(StreamChunk chunk);

    /** @param record the finished call, exactly once per client call */
    void publish(CallRecord record);

    /** @return a sink that drops everything, for tests and for calls marked {@code no-log} */
    static CallSink noop() {
        return NoopCallSink.INSTANCE;
    }
}
