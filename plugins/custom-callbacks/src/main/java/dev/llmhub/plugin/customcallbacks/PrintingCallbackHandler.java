package dev.llmhub.plugin.customcallbacks;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallbackHandler;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;

/**
 * The seed's {@code MyCustomHandler}: prints each hook to standard output, as the seed's
 * {@code print} calls do. Each hook prints with one {@code println}, so the lines of one block never
 * interleave with another lane's output.
 */
final class PrintingCallbackHandler implements CallbackHandler {
    private final boolean printStreamEvents;

    PrintingCallbackHandler(boolean printStreamEvents) {
        this.printStreamEvents = printStreamEvents;
    }

    @Override
    public void onPreApiCall(PreApiCall event) {
        print("Pre-API Call");
    }

    @Override
    public void onPostApiCall(PostApiCall event) {
        print("Post-API Call");
    }

    @Override
    public void onStreamEvent(StreamChunk chunk) {
        if (printStreamEvents) {
            print("On Stream");
        }
    }

    @Override
    public void onSuccess(CallRecord record) {
        print(SuccessLogFormat.format(record));
    }

    @Override
    public void onFailure(CallRecord record) {
        print("On Failure");
    }

    // System.out is read at each call, not kept: the host (or a test) may redirect it.
    private static void print(String text) {
        System.out.println(text);
    }
}
