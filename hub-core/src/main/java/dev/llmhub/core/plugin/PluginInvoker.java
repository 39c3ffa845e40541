package dev.llmhub.core.plugin;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one way the core calls plugin code: with the thread context class loader set to the plugin's,
 * under a time limit, and catching whatever it throws — including {@link LinkageError} and other
 * {@link Error}s — so a plugin fault comes back as an {@link Outcome.Failed}, never as an exception in
 * the caller.
 *
 * <p>{@link #call} runs on the caller's own thread (a lane's worker: the lane's concurrency limit is
 * the only one). When the call outlives its limit the {@link Watchdog} interrupts the thread; when it
 * has still not returned after a grace period, {@code onStuck} runs so the owner can carry on with
 * another thread. {@link #callOnOwnThread} is for the rare lifecycle calls (start, stop, create) made
 * by threads that must never hang: the call gets a fresh thread that is abandoned if it hangs.
 */
public final class PluginInvoker {
    private final String owner;
    private final ClassLoader pluginLoader;

    /**
     * @param owner        who calls (a lane or plugin name), for thread names and messages
     * @param pluginLoader the plugin's class loader, set as context class loader during each call
     */
    public PluginInvoker(String owner, ClassLoader pluginLoader) {
        this.owner = owner;
        this.pluginLoader = pluginLoader;
    }

    /** What a call into plugin code ended with. */
    public sealed interface Outcome<T> {
        /** @param value what the plugin returned (may be null) */
        record Ok<T>(T value) implements Outcome<T> {
        }

        /**
         * @param error    what the plugin threw, or null when it never returned
         * @param timedOut whether the call outlived its limit
         * @param message  what went wrong, for logs and admin; no secrets (exception class and message)
         */
        record Failed<T>(Throwable error, boolean timedOut, String message) implements Outcome<T> {
        }
    }

    /**
     * Runs plugin code on this thread.
     *
     * @param what    what is being called, e.g. {@code export}, for messages
     * @param timeout its limit
     * @param call    the plugin code
     * @param onStuck run (on the watchdog thread) when the call has outlived its limit and a grace
     *                period after the interrupt; may be null
     * @param <T>     result type
     * @return its outcome; never throws
     */
    public <T> Outcome<T> call(String what, Duration timeout, Callable<T> call, Runnable onStuck) {
        CallTimer timer = new CallTimer(Thread.currentThread(), timeout, onStuck);
        Watchdog.schedule(timer);
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(pluginLoader);
        try {
            return new Outcome.Ok<>(call.call());
        } catch (Throwable e) {
            if (timer.timedOut()) {
                return new Outcome.Failed<>(e, true, what + " timed out after " + timeout.toMillis() + " ms");
            }
            return new Outcome.Failed<>(e, false, what + " threw " + describe(e));
        } finally {
            t.setContextClassLoader(previous);
            timer.finish();
        }
    }

    /** {@link #call(String, Duration, Callable, Runnable)} without a stuck handler. */
    public <T> Outcome<T> call(String what, Duration timeout, Callable<T> call) {
        return call(what, timeout, call, null);
    }

    /**
     * Runs plugin code on a fresh daemon thread and waits for it; a call that outlives its limit is
     * interrupted and abandoned (its thread ends whenever the plugin returns).
     */
    public <T> Outcome<T> callOnOwnThread(String what, Duration timeout, Callable<T> call) {
        AtomicReference<Outcome<T>> result = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().daemon().name("llmhub-plugin-" + owner + "-" + what).unstarted(() -> {
            result.set(call(what, timeout, call));
            done.countDown();
        });
        // never inherit a plugin's loader from whoever created the thread
        worker.setContextClassLoader(PluginInvoker.class.getClassLoader());
        worker.start();
        try {
            if (done.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                return result.get();
            }
            return new Outcome.Failed<>(null, true, what + " timed out after " + timeout.toMillis()
                    + " ms and did not stop when interrupted; its thread is abandoned");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failed<>(e, false, what + " interrupted");
        }
    }

    /** @param t a throwable @return its class and message, one line */
    public static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /**
     * The time limit of one call: interrupts the caller at the deadline, reports it stuck after the
     * grace period. The interrupt and the caller's finish are ordered by this object's monitor, so a
     * late interrupt can never leak into the caller's next piece of work.
     */
    private static final class CallTimer extends Watchdog.Timer {
        private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
        private final Thread caller;
        private final Runnable onStuck;
        private boolean finished;
        private boolean interrupted;

        CallTimer(Thread caller, Duration timeout, Runnable onStuck) {
            super(System.nanoTime() + Math.max(1, timeout.toNanos()));
            this.caller = caller;
            this.onStuck = onStuck;
        }

        @Override
        synchronized void fire() {
            if (finished) {
                return;
            }
            if (!interrupted) {
                interrupted = true;
                caller.interrupt();
                if (onStuck != null) {
                    Watchdog.schedule(new Watchdog.Timer(System.nanoTime() + GRACE_NANOS) {
                        @Override
                        void fire() {
                            boolean stuck;
                            synchronized (CallTimer.this) {
                                stuck = !finished;
                            }
                            if (stuck) {
                                onStuck.run();
                            }
                        }
                    });
                }
            }
        }

        synchronized boolean timedOut() {
            return interrupted;
        }

        void finish() {
            Watchdog.cancel(this);
            synchronized (this) {
                finished = true;
                if (interrupted) {
                    Thread.interrupted(); // the interrupt was ours, for this call only
                }
            }
        }
    }
}
