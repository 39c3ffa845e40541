package dev.llmhub.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.PluginConfigException;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.core.record.SampleRecords;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestPluginContextTest {

    @Test
    void settingsErrorsNameTheConfigKey() {
        TestPluginContext ctx = TestPluginContext.builder("demo").setting("batch", "many").build();
        PluginConfigException e = assertThrows(PluginConfigException.class, () -> ctx.settings().number("batch"));
        assertTrue(e.getMessage().startsWith("callback_settings.demo.batch:"), e.getMessage());
    }

    @Test
    void envIgnoresBlankValues() {
        TestPluginContext ctx = TestPluginContext.builder("demo").env("A", "1").env("B", " ").build();
        assertEquals(Optional.of("1"), ctx.env("A"));
        assertEquals(Optional.empty(), ctx.env("B"));
        assertEquals(Optional.empty(), ctx.env("C"));
    }

    @Test
    void loggerAndMetricsKeepWhatThePluginDid() {
        TestPluginContext ctx = TestPluginContext.of("demo");
        ctx.logger().log(System.Logger.Level.WARNING, "cannot reach {0}", "host");
        ctx.metrics().counter("rejected", "documents rejected").add(2);
        ctx.metrics().counter("rejected", "documents rejected").increment();
        assertEquals(List.of("cannot reach host"), ctx.logger().messages(System.Logger.Level.WARNING));
        assertEquals(3, ctx.metrics().count("rejected"));
        assertEquals(0, ctx.metrics().count("never"));
    }

    @Test
    void ofMapsGivesThoseSettingsAndThatEnvironment() {
        TestPluginContext ctx = TestPluginContext.of("demo", Map.of("batch", 5, "size", "big"), Map.of("A", "1", "B", ""));
        assertEquals("demo", ctx.name());
        assertEquals(Optional.of(5L), ctx.settings().number("batch"));
        assertEquals(Optional.of("1"), ctx.env("A"));
        assertEquals(Optional.empty(), ctx.env("B"));
        PluginConfigException e = assertThrows(PluginConfigException.class, () -> ctx.settings().number("size"));
        assertTrue(e.getMessage().startsWith("callback_settings.demo.size:"), e.getMessage());
    }

    @Test
    void linesStartWithTheLevel() {
        TestPluginContext ctx = TestPluginContext.of("demo");
        ctx.logger().log(System.Logger.Level.WARNING, "cannot reach {0}", "host");
        ctx.logger().log(System.Logger.Level.ERROR, "refused", new IllegalStateException("401"));
        assertEquals(List.of("WARNING cannot reach host", "ERROR refused (java.lang.IllegalStateException: 401)"),
                ctx.logger().lines());
    }

    @Test
    void toJsonIsTheProxysDocumentedForm() {
        CallRecord r = SampleRecords.seedSuccess().build();
        assertEquals(CallRecordJson.write(r), TestPluginContext.of("demo").toJson(r));
        assertEquals(CallRecordJson.write(r),
                new String(TestPluginContext.of("demo").toJsonUtf8(r), java.nio.charset.StandardCharsets.UTF_8));
    }
}
