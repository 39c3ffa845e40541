package dev.llmhub.api;

/**
 * A user's own code that watches calls: the Java twin of LiteLLM's {@code CustomLogger}, with its
 * five hooks. Every method has a no-op default, so an implementation overrides only what it needs.
 *
 * <p>All hooks run off the request thread, on the handler's own delivery lane, in the order the
 * events happened for one call. A hook that throws or hangs affects only this handler: the error is
 * counted and logged, the request never waits for it. Every record and event is already redacted.
 */
public interface CallbackHandler extends AutoCloseable {

    /** @param event a request is about to be sent upstream (once per attempt) */
    default void onPreApiCall(PreApiCall event) {
    }

    /** @param event an upstream attempt ended, successfully or not */
    default void onPostApiCall(PostApiCall event) {
    }

    /** @param chunk one streamed chunk was sent to the client */
    default void onStreamEvent(StreamChunk chunk) {
    }

    /** @param record a call ended successfully */
    default void onSuccess(CallRecord record) {
    }

    /** @param record a call failed */
    default void onFailure(CallRecord record) {
    }

    /** Releases what the handler holds; called once before the plugin is unloaded. */
    @Override
    default void close() {
    }
}
