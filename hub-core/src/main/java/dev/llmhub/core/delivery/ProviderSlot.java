package dev.llmhub.core.delivery;

import dev.llmhub.core.plugin.PluginInvoker;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The plugin instance a lane delivers to, swapped by hot reload, and the lane's pause switch. While
 * the slot is empty or paused, workers wait and records stay in the journal. {@link #unbind} stops new
 * calls into the old instance and waits for the calls in progress, so a swap loses nothing: a batch
 * whose try failed on the old instance is retried on the new one.
 */
final class ProviderSlot {
    private static final System.Logger LOG = System.getLogger(ProviderSlot.class.getName());

    private final String lane;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Binding binding;
    private int activeCalls;
    private boolean paused;

    ProviderSlot(String lane) {
        this.lane = lane;
    }

    /**
     * Waits for an instance (and for the lane to be resumed) and reserves a call on it.
     *
     * @param stop checked while waiting; {@link #wake()} makes waiters look again
     * @return the instance, or null once {@code stop} says so
     */
    Binding acquire(BooleanSupplier stop) {
        lock.lock();
        try {
            while (binding == null || paused) {
                if (stop.getAsBoolean()) {
                    return null;
                }
                changed.awaitUninterruptibly();
            }
            activeCalls++;
            return binding;
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            activeCalls--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Makes waiters re-check their stop condition. */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param b the new instance
     * @return false when an instance is already bound (the caller closes {@code b})
     */
    boolean bind(Binding b) {
        lock.lock();
        try {
            if (binding != null) {
                return false;
            }
            binding = b;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Empties the slot, waits up to {@code wait} for the calls in progress, then closes the old
     * instance.
     *
     * @return whether an instance was bound
     */
    boolean unbind(Duration wait) {
        Binding old = null;
        lock.lock();
        try {
            old = binding;
            binding = null;
            long left = wait.toNanos();
            while (activeCalls > 0 && left > 0) {
                left = changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (old != null) {
            close(lane, old, wait);
        }
        return old != null;
    }

    void pause(boolean on) {
        lock.lock();
        try {
            paused = on;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean paused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    Optional<Binding> current() {
        lock.lock();
        try {
            return Optional.ofNullable(binding);
        } finally {
            lock.unlock();
        }
    }

    /** Closes an instance through its invoker (plugin code: time-limited, never throws). */
    static void close(String lane, Binding b, Duration timeout) {
        PluginInvoker.Outcome<Object> o = b.invoker().callOnOwnThread("close", timeout, () -> {
            b.instance().close();
            return null;
        });
        if (o instanceof PluginInvoker.Outcome.Failed<Object> f) {
            LOG.log(Level.WARNING, "lane ''{0}'': closing plugin {1} failed: {2}", lane, b.pluginId(), f.message());
        }
        b.onClose().run();
    }
}
