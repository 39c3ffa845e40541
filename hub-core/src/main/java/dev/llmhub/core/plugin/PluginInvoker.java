package dev.llmhub.core.plugin;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way the core calls plugin code. Each call runs on a thread of this invoker's own small
 * pool with the thread context class loader set to the plugin's, under a time limit; whatever it
 * throws — including {@link LinkageError} and other {@link Error}s — comes back as a
 * {@link Outcome.Failed}, never as an exception in the caller.
 *
 * <p>A call that outlives its limit is interrupted and abandoned: its thread stays busy until the
 * plugin returns, so calls in progress are bounded ({@code maxThreads}); when that many are stuck in
 * the plugin, further calls fail at once instead of piling up threads. One invoker belongs to one
 * plugin instance (a lane's destination, or a plugin while it loads) and is closed with it, so no
 * pool thread outlives the plugin's class loader.
 */
public final class PluginInvoker implements AutoCloseable {
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final String owner;
    private final ClassLoader pluginLoader;
    private final ThreadPoolExecutor pool;
    private final int maxCalls;
    /** Calls running in plugin code now, stuck ones included; bounded by {@code maxCalls}. */
    private final AtomicInteger running = new AtomicInteger();

    /**
     * @param owner        who calls (a lane or plugin name), for thread names and messages
     * @param pluginLoader the plugin's class loader, set as context class loader during each call
     * @param maxThreads   most calls in progress at once, stuck ones included
     */
    public PluginInvoker(String owner, ClassLoader pluginLoader, int maxThreads) {
        this.owner = owner;
        this.pluginLoader = pluginLoader;
        int poolId = POOL_IDS.incrementAndGet();
        AtomicInteger threadIds = new AtomicInteger();
        ClassLoader hostLoader = PluginInvoker.class.getClassLoader();
        this.maxCalls = maxThreads;
        // The pool itself is unbounded (a thread that just finished a call may not be back waiting yet);
        // `running` bounds how many calls may be in plugin code at once.
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "llmhub-plugin-" + owner + "-" + poolId + "-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            // Never inherit a plugin's loader from whoever created the thread.
            t.setContextClassLoader(hostLoader);
            return t;
        });
    }

    /** What a call into plugin code ended with. */
    public sealed interface Outcome<T> {
        /** @param value what the plugin returned (may be null) */
        record Ok<T>(T value) implements Outcome<T> {
        }

        /**
         * @param error    what the plugin threw, or null on timeout/rejection
         * @param timedOut whether the call outlived its limit
         * @param message  what went wrong, for logs and admin; no secrets (exception class and message)
         */
        record Failed<T>(Throwable error, boolean timedOut, String message) implements Outcome<T> {
        }
    }

    /**
     * Runs plugin code.
     *
     * @param what    what is being called, e.g. {@code export}, for the failure message
     * @param timeout how long to wait for it
     * @param call    the plugin code
     * @param <T>     result type
     * @return its outcome; never throws
     */
    public <T> Outcome<T> call(String what, Duration timeout, Callable<T> call) {
        if (running.incrementAndGet() > maxCalls) {
            running.decrementAndGet();
            return new Outcome.Failed<>(null, false, what + " not started: " + maxCalls
                    + " earlier call(s) are still stuck in the plugin");
        }
        Future<T> future;
        try {
            future = pool.submit(() -> {
                Thread t = Thread.currentThread();
                ClassLoader previous = t.getContextClassLoader();
                t.setContextClassLoader(pluginLoader);
                try {
                    return call.call();
                } finally {
                    t.setContextClassLoader(previous);
                    running.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            running.decrementAndGet();
            return new Outcome.Failed<>(null, false, what + " not started: plugin closed");
        }
        try {
            return new Outcome.Ok<>(future.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome.Failed<>(null, true, what + " timed out after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Outcome.Failed<>(cause, false, what + " threw " + describe(cause));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome.Failed<>(e, false, what + " interrupted");
        }
    }

    /** @param t a throwable @return its class and message, one line */
    public static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** Stops the pool; threads stuck in plugin code are interrupted. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
