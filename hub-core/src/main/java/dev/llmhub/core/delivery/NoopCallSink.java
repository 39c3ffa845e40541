package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.core.journal.Append;

enum NoopCallSink implements CallSink {
    INSTANCE;

    /** Nothing to wait for. */
    static final Append DONE = Append.done(-1);

    @Override
    public void preApiCall(PreApiCall event) {
    }

    @Override
    public void postApiCall(PostApiCall event) {
    }

    @Override
    public void streamChunk(StreamChunk chunk) {
    }

    @Override
    public Append publish(CallRecord record) {
        return DONE;
    }
}
