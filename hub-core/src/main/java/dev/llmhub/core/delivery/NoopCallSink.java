package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.core.journal.Append;
import java.time.Duration;

enum NoopCallSink implements CallSink {
    INSTANCE;

    /** Nothing to wait for. */
    static final Append DONE = new Append() {
        @Override
        public long offset() {
            return -1;
        }

        @Override
        public boolean await(Duration timeout) {
            return true;
        }

        @Override
        public boolean isDone() {
            return true;
        }
    };

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
