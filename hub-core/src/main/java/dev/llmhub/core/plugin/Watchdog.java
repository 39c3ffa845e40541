package dev.llmhub.core.plugin;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that enforces time limits on calls into plugin code. A call runs on its caller's
 * thread; when it outlives its limit the watchdog interrupts that thread, and when it still has not
 * returned a grace period later, it tells the caller's owner the thread is stuck (a lane then hands
 * the work to a fresh worker). One daemon thread for the whole process, started on first use.
 */
final class Watchdog {
    private static final DelayQueue<Timer> TIMERS = new DelayQueue<>();

    static {
        Thread.ofPlatform().daemon().name("llmhub-plugin-watchdog").start(Watchdog::run);
    }

    private Watchdog() {
    }

    /** Something to do at a time, unless cancelled first. */
    abstract static class Timer implements Delayed {
        private final long dueNanos;

        Timer(long dueNanos) {
            this.dueNanos = dueNanos;
        }

        /** Runs on the watchdog thread: must be quick and must not throw. */
        abstract void fire();

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Timer) o).dueNanos);
        }
    }

    static void schedule(Timer t) {
        TIMERS.add(t);
    }

    static void cancel(Timer t) {
        TIMERS.remove(t);
    }

    private static void run() {
        while (true) {
            try {
                TIMERS.take().fire();
            } catch (InterruptedException e) {
                // never interrupted on purpose; keep watching
            } catch (RuntimeException e) {
                System.getLogger(Watchdog.class.getName()).log(System.Logger.Level.ERROR, "watchdog timer failed", e);
            }
        }
    }
}
