package dev.llmhub.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PluginInvokerTest {

    @Test
    void backToBackCallsAreNeverRefused() {
        try (PluginInvoker invoker = new PluginInvoker("fast", getClass().getClassLoader(), 1)) {
            for (int i = 0; i < 20_000; i++) {
                int n = i;
                PluginInvoker.Outcome<Integer> o = invoker.call("call", Duration.ofSeconds(10), () -> n);
                assertEquals(new PluginInvoker.Outcome.Ok<>(n), o, "call " + i);
            }
        }
    }

    @Test
    void runsWithThePluginsContextClassLoaderAndCatchesLinkageErrors() throws Exception {
        try (URLClassLoader pluginLoader = new URLClassLoader(new URL[0], null);
             PluginInvoker invoker = new PluginInvoker("p", pluginLoader, 2)) {
            PluginInvoker.Outcome<ClassLoader> tccl = invoker.call("tccl", Duration.ofSeconds(10),
                    () -> Thread.currentThread().getContextClassLoader());
            assertSame(pluginLoader, ((PluginInvoker.Outcome.Ok<ClassLoader>) tccl).value());
            PluginInvoker.Outcome<Object> broken = invoker.call("export", Duration.ofSeconds(10), () -> {
                throw new NoClassDefFoundError("com/example/Gone");
            });
            assertInstanceOf(PluginInvoker.Outcome.Failed.class, broken);
            PluginInvoker.Outcome.Failed<Object> f = (PluginInvoker.Outcome.Failed<Object>) broken;
            assertInstanceOf(NoClassDefFoundError.class, f.error());
            assertEquals("export threw java.lang.NoClassDefFoundError: com/example/Gone", f.message());
        }
    }

    @Test
    void stuckCallsTimeOutAndBoundTheThreadsTheyHold() {
        CountDownLatch release = new CountDownLatch(1);
        try (PluginInvoker invoker = new PluginInvoker("stuck", getClass().getClassLoader(), 1)) {
            PluginInvoker.Outcome<Object> hung = invoker.call("export", Duration.ofMillis(100), () -> {
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        // stuck for real
                    }
                }
                return null;
            });
            assertTrue(((PluginInvoker.Outcome.Failed<Object>) hung).timedOut());
            PluginInvoker.Outcome<Object> next = invoker.call("export", Duration.ofSeconds(10), () -> "x");
            assertEquals("export not started: 1 earlier call(s) are still stuck in the plugin",
                    ((PluginInvoker.Outcome.Failed<Object>) next).message());
        } finally {
            release.countDown();
        }
    }
}
