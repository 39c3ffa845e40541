package dev.llmhub.core.delivery;

import dev.llmhub.core.plugin.PluginInvoker;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One enabled name's delivery path: a bounded queue the request path appends to without waiting,
 * a worker that hands items to the current provider, counters, and the provider slot that hot
 * reload swaps.
 *
 * <p>Provider slot: while no plugin serves the name (its zip was removed, or is being replaced) the
 * lane holds its records — they stay queued and counted in the queue depth, and overflow still
 * drops the oldest. {@link #unbind()} stops new calls into the old provider and waits for the calls
 * in progress to end, so a swap loses nothing: a batch whose try failed on the old provider is
 * retried on the new one.
 */
public abstract sealed class Lane permits DeliveryLane, HandlerLane {
    static final System.Logger LOG = System.getLogger(Lane.class.getName());

    final String name;
    final LaneSettings settings;
    final Subscription subscription;
    final RedactionPolicy redaction;
    final LaneMetrics metrics;
    final ArrayBlockingQueue<Object> queue;
    /** Records accepted and not yet exported, failed or dropped: queued + in a batch being delivered. */
    final AtomicLong pending = new AtomicLong();
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    /** Counted down when shutdown begins: retry waits end early, no new retries start. */
    final CountDownLatch stopping = new CountDownLatch(1);
    final Thread worker;

    private Binding binding;
    private int activeCalls;
    private int inFlight;
    private volatile boolean accepting = true;
    volatile boolean draining;
    volatile boolean aborted;
    private volatile boolean closed;

    Lane(String name, LaneSettings settings, Subscription subscription, RedactionPolicy redaction, MeterRegistry registry) {
        this.name = name;
        this.settings = settings;
        this.subscription = subscription;
        this.redaction = settings.messageLogging() ? redaction : redaction.withoutMessages();
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        this.metrics = new LaneMetrics(name, registry, pending::get);
        this.worker = Thread.ofPlatform().daemon().name("llmhub-lane-" + name).unstarted(this::runWorker);
    }

    /** @return the destination or handler name from the config */
    public String name() {
        return name;
    }

    /** @return what this lane receives */
    public Subscription subscription() {
        return subscription;
    }

    /** @return the lane's settings */
    public LaneSettings settings() {
        return settings;
    }

    abstract String kind();

    abstract void runWorker();

    /** Starts the worker; records offered before this are kept. */
    public void start() {
        worker.start();
    }

    /**
     * Appends without waiting: when the queue is full the oldest item is dropped and counted.
     *
     * @param item a record or an event, unredacted (the worker redacts)
     */
    public void offer(Object item) {
        if (!accepting) {
            metrics.dropped(1, "lane is shut down");
            return;
        }
        pending.incrementAndGet();
        while (!queue.offer(item)) {
            if (queue.poll() != null) {
                pending.decrementAndGet();
                metrics.dropped(1, "queue full, queue_size " + settings.queueSize() + ", oldest dropped");
            }
        }
    }

    /** @return records waiting in the lane (queued, being delivered, or held) */
    public long queueDepth() {
        return pending.get();
    }

    /** @return outcomes so far */
    public LaneCounters counters() {
        return metrics.snapshot();
    }

    /** @return the admin view of this lane */
    public LaneStatus status() {
        Binding b;
        lock.lock();
        try {
            b = binding;
        } finally {
            lock.unlock();
        }
        String state = closed ? "closed" : b == null ? "waiting" : "active";
        return new LaneStatus(name, kind(), state, Optional.ofNullable(b).map(Binding::pluginId),
                Optional.ofNullable(b).map(Binding::pluginVersion), subscription.describe(), queueDepth(), counters());
    }

    /** @return the plugin id currently serving this lane, if any */
    public Optional<String> boundPlugin() {
        lock.lock();
        try {
            return Optional.ofNullable(binding).map(Binding::pluginId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives the lane a provider; held records flow to it at once. A closed lane closes it instead.
     *
     * @param b the new provider
     */
    public void bind(Binding b) {
        boolean reject;
        lock.lock();
        try {
            reject = closed || binding != null;
            if (!reject) {
                binding = b;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (reject) {
            closeBinding(b);
        }
    }

    /**
     * Stops handing work to the current provider, waits for calls in progress (each ends within
     * {@code export_timeout}), then closes it. The lane holds records until {@link #bind} again.
     *
     * @return whether a provider was bound
     */
    public boolean unbind() {
        Binding old = null;
        lock.lock();
        try {
            old = binding;
            binding = null;
            long left = settings.exportTimeout().plusSeconds(1).toNanos();
            while (activeCalls > 0 && left > 0) {
                left = changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (old != null) {
            closeBinding(old);
        }
        return old != null;
    }

    private void closeBinding(Binding b) {
        PluginInvoker.Outcome<Object> o = b.invoker().call("close", settings.exportTimeout(), () -> {
            b.instance().close();
            return null;
        });
        if (o instanceof PluginInvoker.Outcome.Failed<Object> f) {
            LOG.log(Level.WARNING, "lane ''{0}'': closing plugin {1} failed: {2}", name, b.pluginId(), f.message());
        }
        b.invoker().close();
    }

    /**
     * Waits for a provider and reserves a call on it.
     *
     * @return the provider, or null when shutdown's deadline passed first
     */
    Binding acquire() {
        lock.lock();
        try {
            while (binding == null) {
                if (aborted) {
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

    /** Waits (holding records) until a provider is bound; false once shutdown's deadline passed. */
    boolean awaitProvider() {
        lock.lock();
        try {
            while (binding == null && !aborted) {
                changed.awaitUninterruptibly();
            }
            return !aborted;
        } finally {
            lock.unlock();
        }
    }

    void batchStarted() {
        lock.lock();
        try {
            inFlight++;
        } finally {
            lock.unlock();
        }
    }

    void batchEnded() {
        lock.lock();
        try {
            inFlight--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Counts records that will never be delivered: they leave the queue depth. */
    void settleFailed(long n) {
        metrics.failed(n);
        pending.addAndGet(-n);
    }

    void settleExported(long n) {
        metrics.exported(n);
        pending.addAndGet(-n);
    }

    void settleDropped(long n, String why) {
        metrics.dropped(n, why);
        pending.addAndGet(-n);
    }

    /** @param wait how long @return true when shutdown began during the wait */
    boolean waitOrStop(Duration wait) {
        try {
            return stopping.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Stops accepting, stops retrying, delivers what is queued (one try per batch) until the deadline,
     * then drops the rest (counted) and closes the provider.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which to be done
     */
    public void close(long deadlineNanos) {
        if (closed) {
            return;
        }
        accepting = false;
        draining = true;
        stopping.countDown();
        worker.interrupt();
        try {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            long left = deadlineNanos - System.nanoTime();
            while (inFlight > 0 && left > 0) {
                left = changed.awaitNanos(left);
            }
            aborted = true;
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            aborted = true;
        } finally {
            lock.unlock();
        }
        int left = 0;
        while (queue.poll() != null) {
            left++;
        }
        if (left > 0) {
            settleDropped(left, "still queued when the shutdown deadline passed");
        }
        closed = true;
        Binding old;
        lock.lock();
        try {
            old = binding;
            binding = null;
        } finally {
            lock.unlock();
        }
        if (old != null) {
            closeBinding(old);
        }
        long stuck = pending.get();
        if (stuck > 0) {
            LOG.log(Level.WARNING, "lane ''{0}'': {1} record(s) still undelivered at shutdown", name, stuck);
        }
    }

    /** Unregisters the lane's meters. */
    void removeMetrics() {
        metrics.remove();
    }
}
