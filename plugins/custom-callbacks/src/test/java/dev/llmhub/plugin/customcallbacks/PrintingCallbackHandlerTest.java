package dev.llmhub.plugin.customcallbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.api.CallbackHandler;
import dev.llmhub.api.PluginConfigException;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.PluginZipCheck;
import dev.llmhub.plugin.testkit.StdoutCapture;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PrintingCallbackHandlerTest {
    static final String NAME = "custom_callbacks.proxy_handler_instance";

    /** Feeds one call's events to a handler in the order the proxy does. */
    static void runOneCall(CallbackHandler h, CallRecord success, CallRecord failure) {
        h.onPreApiCall(new PreApiCall(success.id(), success.model(), "gpt-3.5-turbo-0", CallType.CHAT,
                success.messages(), success.requestParams(), success.startTime()));
        h.onPostApiCall(new PostApiCall(success.id(), success.model(), success.attempts().get(0)));
        h.onStreamEvent(new StreamChunk(success.id(), success.model(), 0, "Good", success.endTime()));
        h.onSuccess(success);
        h.onFailure(failure);
    }

    @Test
    void printsEachHookAndTheSeedsSuccessBlock() throws Exception {
        CallbackHandler h = new ProxyHandlerInstanceFactory().create(TestPluginContext.of(NAME));
        String out = StdoutCapture.run(() -> runOneCall(h, SampleRecords.seedSuccess().build(),
                SampleRecords.rateLimitedFailure().build()));
        assertEquals("Pre-API Call\nPost-API Call\nOn Stream\n" + SuccessLogFormatTest.SEED_BLOCK + "\nOn Failure\n", out);
    }

    @Test
    void neverPrintsTheCallersKeyOrAnUnredactedHeader() throws Exception {
        CallbackHandler h = new ProxyHandlerInstanceFactory().create(TestPluginContext.of(NAME));
        String out = StdoutCapture.run(() -> runOneCall(h, SampleRecords.seedSuccess().build(),
                SampleRecords.rateLimitedFailure().build()));
        assertTrue(out.contains("'authorization': '[REDACTED]'"), out);
        assertTrue(!out.contains("Bearer"), out);
    }

    @Test
    void streamEventsCanBeSilenced() throws Exception {
        CallbackHandler h = new ProxyHandlerInstanceFactory().create(
                TestPluginContext.builder(NAME).setting("print_stream_events", false).build());
        String out = StdoutCapture.run(() -> runOneCall(h, SampleRecords.seedSuccess().build(),
                SampleRecords.rateLimitedFailure().build()));
        assertTrue(out.startsWith("Pre-API Call\nPost-API Call\nOn Success\n"), out);
    }

    @Test
    void aBadSettingNamesItsKey() {
        PluginConfigException e = assertThrows(PluginConfigException.class, () -> new ProxyHandlerInstanceFactory()
                .create(TestPluginContext.builder(NAME).setting("print_stream_events", "sometimes").build()));
        assertTrue(e.getMessage().contains("callback_settings.custom_callbacks.proxy_handler_instance.print_stream_events"),
                e.getMessage());
    }

    @Test
    void theExtensionIndexListsTheFactory() {
        // STACK.md trap 1: without the index PF4J finds no extension, and says nothing.
        PluginZipCheck.assertIndexed(Path.of("target", "classes"), ProxyHandlerInstanceFactory.class);
    }
}
