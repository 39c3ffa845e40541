package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;

enum NoopCallSink implements CallSink {
    INSTANCE;

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
    public void publish(CallRecord record) {
    }
}
