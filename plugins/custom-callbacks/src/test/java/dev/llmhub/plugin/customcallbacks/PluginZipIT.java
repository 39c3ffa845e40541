package dev.llmhub.plugin.customcallbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmhub.api.CallbackHandler;
import dev.llmhub.api.CallbackHandlerFactory;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.kit.PythonFloat;
import dev.llmhub.plugin.testkit.LoadedPlugin;
import dev.llmhub.plugin.testkit.PluginZipCheck;
import dev.llmhub.plugin.testkit.StdoutCapture;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built zip itself: its layout, and that real PF4J loads it and finds the handler by name. */
class PluginZipIT {

    @Test
    void zipHasThePluginLayout() {
        PluginZipCheck.assertLayout(PluginZipCheck.builtZip(), "custom_callbacks",
                ProxyHandlerInstanceFactory.class.getName());
    }

    @Test
    void pf4jLoadsTheZipAndTheHandlerPrintsTheSeedsBlock(@TempDir Path dir) throws Exception {
        try (LoadedPlugin plugin = LoadedPlugin.load(PluginZipCheck.builtZip(), dir)) {
            CallbackHandlerFactory f = plugin.extension(CallbackHandlerFactory.class, "proxy_handler_instance");
            CallbackHandler h = f.create(TestPluginContext.of("custom_callbacks.proxy_handler_instance"));
            String out = StdoutCapture.run(() -> h.onSuccess(SampleRecords.seedSuccess().build()));
            assertEquals(SuccessLogFormatTest.SEED_BLOCK + "\n", out);
            h.close();
            // the kit bundled in the zip, plugin-first, not the proxy's copy (here on the test's class path)
            assertSame(plugin.classLoader(), plugin.classLoader().loadClass(PythonFloat.class.getName()).getClassLoader());
        }
    }
}
