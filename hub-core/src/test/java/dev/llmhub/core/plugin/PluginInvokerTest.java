package dev.llmhub.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void backToBackCallsRunOnTheCallersThreadAndLeaveNoInterruptBehind() {
        PluginInvoker invoker = new PluginInvoker("fast", getClass().getClassLoader());
        Thread me = Thread.currentThread();
        for (int i = 0; i < 20_000; i++) {
            int n = i;
            PluginInvoker.Outcome<Integer> o = invoker.call("call", Duration.ofMillis(50), () -> {
                assertSame(me, Thread.currentThread());
                return n;
            });
            assertEquals(new PluginInvoker.Outcome.Ok<>(n), o, "call " + i);
        }
        assertFalse(Thread.interrupted(), "a finished call's timer must never interrupt the caller later");
    }

    @Test
    void runsWithThePluginsContextClassLoaderAndCatchesLinkageErrors() throws Exception {
        try (URLClassLoader pluginLoader = new URLClassLoader(new URL[0], null)) {
            PluginInvoker invoker = new PluginInvoker("p", pluginLoader);
            ClassLoader before = Thread.currentThread().getContextClassLoader();
            PluginInvoker.Outcome<ClassLoader> tccl = invoker.call("tccl", Duration.ofSeconds(10),
                    () -> Thread.currentThread().getContextClassLoader());
            assertSame(pluginLoader, ((PluginInvoker.Outcome.Ok<ClassLoader>) tccl).value());
            assertSame(before, Thread.currentThread().getContextClassLoader(), "the caller's loader is restored");
            PluginInvoker.Outcome<Object> broken = invoker.call("export", Duration.ofSeconds(10), () -> {
                throw new NoClassDefFoundError("com/example/Gone");
            });
            PluginInvoker.Outcome.Failed<Object> f = assertInstanceOf(PluginInvoker.Outcome.Failed.class, broken);
            assertInstanceOf(NoClassDefFoundError.class, f.error());
            assertEquals("export threw java.lang.NoClassDefFoundError: com/example/Gone", f.message());
        }
    }

    @Test
    void aCallThatOutlivesItsLimitIsInterruptedAndReportedAsTimedOut() {
        PluginInvoker invoker = new PluginInvoker("slow", getClass().getClassLoader());
        PluginInvoker.Outcome<Object> o = invoker.call("export", Duration.ofMillis(100), () -> {
            new CountDownLatch(1).await(); // returns only when interrupted
            return null;
        });
        PluginInvoker.Outcome.Failed<Object> f = assertInstanceOf(PluginInvoker.Outcome.Failed.class, o);
        assertTrue(f.timedOut());
        assertEquals("export timed out after 100 ms", f.message());
        assertFalse(Thread.interrupted(), "the timeout's interrupt is cleared once the call is over");
    }

    @Test
    void aCallThatIgnoresTheInterruptIsReportedStuckWhileItRuns() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PluginInvoker invoker = new PluginInvoker("stuck", getClass().getClassLoader());
        Thread caller = Thread.ofPlatform().start(() -> invoker.call("export", Duration.ofMillis(50), () -> {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // stuck for real
                }
            }
            return null;
        }, stuck::countDown));
        stuck.await(); // the watchdog says so while the call is still in the plugin
        assertTrue(caller.isAlive());
        release.countDown();
        caller.join();
    }

    @Test
    void lifecycleCallsThatHangAreAbandonedOnTheirOwnThread() {
        CountDownLatch release = new CountDownLatch(1);
        PluginInvoker invoker = new PluginInvoker("start", getClass().getClassLoader());
        try {
            PluginInvoker.Outcome<Object> o = invoker.callOnOwnThread("start", Duration.ofMillis(100), () -> {
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        // ignores the interrupt
                    }
                }
                return null;
            });
            PluginInvoker.Outcome.Failed<Object> f = assertInstanceOf(PluginInvoker.Outcome.Failed.class, o);
            assertTrue(f.timedOut());
            assertTrue(f.message().contains("its thread is abandoned"), f.message());
        } finally {
            release.countDown();
        }
    }
}
