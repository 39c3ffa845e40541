package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.core.journal.Entry;
import dev.llmhub.core.journal.JournalReader;
import dev.llmhub.core.logging.ThrottledLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One enabled name's delivery path, a fixed chain: journal cursor → {@link Batcher} → retry
 * ({@link LaneWorker}) → {@link Sender} (through the plugin invoker) → acknowledgement back to the
 * cursor. {@code max_concurrent_exports} workers are the lane's only concurrency limit; each calls the
 * plugin on its own thread.
 *
 * <p>The request path never touches a lane: records reach it through the journal, so a slow, failing
 * or missing destination holds records on disk, not in memory, and slows nothing else. A callback
 * handler's lane also has an in-memory {@link EventQueue} for the pre-call, post-call and stream events,
 * handled by the same single worker before the next record, so a handler sees a call's events before
 * its record.
 */
final class Lane {
    private static final System.Logger LOG = System.getLogger(Lane.class.getName());
    private static final Duration LOG_EVERY = Duration.ofSeconds(10);
    /** Most workers a lane may lose to calls that never return before it stops replacing them. */
    private static final int MAX_STUCK_PER_SLOT = 2;

    /** What the workers are asked to do. */
    enum Mode {
        /** deliver, retry, wait for records */
        RUNNING,
        /** deliver what is left, one try each, then end (a memory journal at shutdown) */
        DRAINING,
        /** finish the call in progress, then end; undelivered records stay in the journal */
        STOPPING
    }

    final String name;
    final LaneKind kind;
    final LaneSettings settings;
    final Subscription subscription;
    final Batcher batcher;
    final ProviderSlot slot;
    final LaneMetrics metrics;
    final Sender sender;
    final EventQueue events;
    /** What happened to each offset (the console's per-call delivery state); kept across a rebuild. */
    final OutcomeLog outcomes;
    /** The last hour per minute (the console's chart); kept across a rebuild. */
    final LaneTimeline timeline;
    final ThrottledLog failureLog = new ThrottledLog(LOG, LOG_EVERY);
    private final ThrottledLog dropLog = new ThrottledLog(LOG, LOG_EVERY);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<LaneWorker> workers = new ArrayList<>();
    private int stuck;
    private int started;
    private volatile Mode mode = Mode.RUNNING;
    private volatile boolean retrying;
    private volatile LaneStatus.LaneError lastError;
    private volatile boolean closed;

    /**
     * @param name         the destination or handler name
     * @param kind         what it feeds
     * @param settings     its settings
     * @param subscription which records it receives
     * @param reader       its cursor in the journal (the lane closes it)
     * @param redaction    the proxy-wide policy (the lane adds {@code message_logging: false})
     * @param registry     where its meters go
     */
    Lane(String name, LaneKind kind, LaneSettings settings, Subscription subscription, JournalReader<CallRecord> reader,
         RedactionPolicy redaction, MeterRegistry registry) {
        this(name, kind, settings, subscription, reader, redaction, registry,
                new OutcomeLog(reader.position(), false, System.currentTimeMillis()),
                new LaneTimeline(java.time.Clock.systemUTC()));
    }

    /**
     * As above, continuing the outcome log and timeline of the lane this one replaces (or new ones).
     *
     * @param outcomes what happened to each offset so far
     * @param timeline the last hour so far
     */
    Lane(String name, LaneKind kind, LaneSettings settings, Subscription subscription, JournalReader<CallRecord> reader,
         RedactionPolicy redaction, MeterRegistry registry, OutcomeLog outcomes, LaneTimeline timeline) {
        this.outcomes = outcomes;
        this.timeline = timeline;
        this.name = name;
        this.kind = kind;
        this.settings = settings;
        this.subscription = subscription;
        RedactionPolicy policy = settings.messageLogging() ? redaction : redaction.withoutMessages();
        this.metrics = new LaneMetrics(name, kind, registry, this::status);
        this.batcher = new Batcher(name, reader, subscription, policy, settings, metrics, dropLog);
        this.slot = new ProviderSlot(name);
        this.events = kind == LaneKind.HANDLER ? new EventQueue(settings.eventQueueSize()) : null;
        this.sender = kind == LaneKind.HANDLER ? new HandlerSender(policy)
                : new DestinationSender(name, new ThrottledLog(LOG, LOG_EVERY));
    }

    /** Starts the workers; records already in the journal flow as soon as a plugin is bound. */
    void start() {
        for (int i = 0; i < settings.maxConcurrentExports(); i++) {
            spawn(null);
        }
    }

    private void spawn(Batch carried) {
        lock.lock();
        try {
            LaneWorker w = new LaneWorker(this, carried);
            workers.add(w);
            Thread.ofPlatform().daemon().name("llmhub-lane-" + name + "-" + (++started)).start(w);
        } finally {
            lock.unlock();
        }
    }

    /** @param event a pre-call, post-call or stream event for a handler lane; never blocks */
    void offerEvent(Object event) {
        if (events != null && mode == Mode.RUNNING) {
            events.offer(event);
        }
    }

    Mode mode() {
        return mode;
    }

    boolean stopping() {
        return mode != Mode.RUNNING;
    }

    /** Counts events the handler's queue dropped, with a WARN naming the lane. */
    void countDroppedEvents() {
        long n = events.takeDropped();
        if (n > 0) {
            metrics.dropped(n);
            dropLog.log(Level.WARNING, held -> "handler '" + name + "': dropped " + n + " event(s): its event queue "
                    + "(queue_size " + settings.eventQueueSize() + ") was full" + ThrottledLog.heldBack(held));
        }
    }

    /**
     * A try failed and will be retried after {@code wait}.
     *
     * @param owner the worker that retries it
     */
    void retrying(Object owner, Batch batch, String reason, Duration wait) {
        retrying = true;
        metrics.retried(batch.size());
        timeline.retried(batch.size());
        long now = System.currentTimeMillis();
        outcomes.retrying(owner, batch.entries(), reason, now, now + wait.toMillis());
        String message = "export of " + batch.size() + " record(s) failed: " + reason + "; retry in "
                + seconds(wait) + " (records stay in the journal)";
        lastError = new LaneStatus.LaneError(Instant.now(), message);
        failureLog.log(Level.WARNING, held -> "lane '" + name + "': " + message + ThrottledLog.heldBack(held));
    }

    /** Records given up for good: counted, remembered per offset with the reason. */
    void gaveUp(List<Entry<CallRecord>> entries, String why) {
        outcomes.ended(entries, OutcomeLog.Kind.FAILED, why, System.currentTimeMillis());
        gaveUp(entries.size(), why);
    }

    /** Records or events given up for good. */
    void gaveUp(int records, String why) {
        metrics.failed(records);
        timeline.failed(records);
        String message = records + " record(s) " + why;
        lastError = new LaneStatus.LaneError(Instant.now(), message);
        failureLog.log(Level.WARNING, held -> (kind == LaneKind.HANDLER ? "handler '" : "lane '") + name + "': "
                + message + ThrottledLog.heldBack(held));
    }

    /** Records went through: counted, remembered per offset. */
    void delivered(List<Entry<CallRecord>> entries) {
        outcomes.ended(entries, OutcomeLog.Kind.DELIVERED, null, System.currentTimeMillis());
        delivered(entries.size());
    }

    /** A call went through: leave the retrying state, saying so when it had been failing. */
    void delivered(int records) {
        metrics.exported(records);
        timeline.exported(records);
        if (retrying) {
            retrying = false;
            LOG.log(Level.INFO, "lane ''{0}'': delivering again", name);
        }
    }

    /**
     * A worker is stuck in a call that outlived its limit: hand its batch to a new worker, unless the
     * lane has lost too many already (then it reports {@code stuck} and waits).
     */
    void abandon(LaneWorker worker, Batch batch) {
        boolean replace;
        lock.lock();
        try {
            if (!workers.remove(worker)) {
                return;
            }
            stuck++;
            replace = mode == Mode.RUNNING && stuck <= MAX_STUCK_PER_SLOT * settings.maxConcurrentExports();
        } finally {
            lock.unlock();
        }
        worker.abandon();
        outcomes.retryDone(worker); // its batch, if any, goes to the new worker
        String message = "a call into plugin " + slot.current().map(Binding::pluginId).orElse("?") + " outlived "
                + "export_timeout (" + settings.exportTimeout().toMillis() + " ms) and ignored the interrupt; "
                + (replace ? "a new worker carries on" + (batch == null ? "" : " with its " + batch.size() + " record(s)")
                        : "no worker is left, the lane waits and its records stay in the journal")
                + " (" + stuck + " stuck)";
        lastError = new LaneStatus.LaneError(Instant.now(), message);
        LOG.log(Level.WARNING, "lane ''{0}'': {1}", name, message);
        if (replace) {
            spawn(batch);
        }
    }

    /** The stuck call of an abandoned worker finally returned. */
    void unstuck() {
        lock.lock();
        try {
            stuck--;
        } finally {
            lock.unlock();
        }
    }

    void workerEnded(LaneWorker w) {
        lock.lock();
        try {
            workers.remove(w);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits before a retry.
     *
     * @return true when the lane began to stop during the wait
     */
    boolean sleep(Duration wait) {
        long left = wait.toNanos();
        lock.lock();
        try {
            while (left > 0 && mode == Mode.RUNNING) {
                left = changed.awaitNanos(left);
            }
            return mode != Mode.RUNNING;
        } catch (InterruptedException e) {
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** @param nanos how long one export or hook call took */
    void exportTook(long nanos) {
        metrics.callTime(nanos);
        timeline.exportTook(nanos);
    }

    void ack(List<Entry<CallRecord>> entries) {
        batcher.ack(entries);
    }

    // ---- control (runtime, hot swap, console) ----

    boolean bind(Binding b) {
        return !closed && slot.bind(b);
    }

    boolean unbind() {
        return slot.unbind(settings.exportTimeout().plusSeconds(1));
    }

    Optional<String> boundPlugin() {
        return slot.current().map(Binding::pluginId);
    }

    void pause(boolean on) {
        slot.pause(on);
        LOG.log(Level.INFO, "lane ''{0}'' {1}", name, on ? "paused: records stay in the journal" : "resumed");
    }

    /** Moves the cursor: replay from an earlier offset (idempotent destinations make this safe) or skip. */
    void seek(long offset) {
        batcher.seek(offset);
        outcomes.seek(offset);
        LOG.log(Level.INFO, "lane ''{0}'': cursor moved to offset {1}", name, offset);
    }

    /** Counts what the journal dropped for this lane: a lane waiting out a retry does not poll, yet its losses must show. */
    void refresh() {
        if (!closed) {
            batcher.countLosses();
        }
    }

    LaneStatus status() {
        Optional<Binding> b = slot.current();
        String state;
        if (closed) {
            state = "closed";
        } else if (b.isEmpty()) {
            state = "waiting";
        } else if (slot.paused()) {
            state = "paused";
        } else if (stuckNow()) {
            state = "stuck";
        } else if (retrying) {
            state = "retrying";
        } else {
            state = "active";
        }
        return new LaneStatus(name, kind, state, b.map(Binding::pluginId), b.map(Binding::pluginVersion),
                subscription.describe(), batcher.position(), batcher.committed(), batcher.lag(), metrics.snapshot(),
                Optional.ofNullable(lastError), settings);
    }

    /**
     * @param offset a record's journal offset
     * @param status the record's status (a lane may take only successes or failures)
     * @return where that record stands in this lane
     */
    RecordDelivery deliveryOf(long offset, CallStatus status) {
        LaneStatus s = status();
        if (!receives(status)) {
            return delivery(s, RecordDelivery.State.NOT_SENT, null, "this " + kind.wireName() + " receives "
                    + subscription.describe() + " calls only");
        }
        OutcomeLog.Known known = outcomes.find(offset, s.committed());
        RecordDelivery.State state = state(known);
        return switch (known) {
            case OutcomeLog.Ended e -> delivery(s, state, Instant.ofEpochMilli(e.range().timeMillis()), e.range().reason());
            case OutcomeLog.Retrying r -> delivery(s, state, Instant.ofEpochMilli(r.retry().sinceMillis()),
                    r.retry().reason() + " (" + r.retry().attempts() + " tr" + (r.retry().attempts() == 1 ? "y" : "ies")
                            + " failed; next in " + seconds(Duration.ofMillis(Math.max(0,
                            r.retry().nextMillis() - System.currentTimeMillis()))) + ")");
            case OutcomeLog.Pending p -> delivery(s, state, null, pendingReason(s));
            case OutcomeLog.Passed p -> delivery(s, state, null,
                    "delivered before " + Instant.ofEpochMilli(p.horizonMillis()) + "; its exact time is no longer kept");
            case OutcomeLog.Before b -> delivery(s, state, null, "this " + kind.wireName() + " was added at "
                    + Instant.ofEpochMilli(b.startMillis()) + ", after the call (start_from: head)");
        };
    }

    /**
     * The state alone, cheaply (no lag computed): what the console's outcome filter checks per record.
     *
     * @param offset a record's journal offset
     * @param status the record's status
     * @return where that record stands in this lane
     */
    RecordDelivery.State stateOf(long offset, CallStatus status) {
        return receives(status) ? state(outcomes.find(offset, batcher.committed())) : RecordDelivery.State.NOT_SENT;
    }

    private static RecordDelivery.State state(OutcomeLog.Known known) {
        return switch (known) {
            case OutcomeLog.Ended e -> e.range().kind() == OutcomeLog.Kind.DELIVERED ? RecordDelivery.State.DELIVERED
                    : RecordDelivery.State.FAILED;
            case OutcomeLog.Retrying r -> RecordDelivery.State.RETRYING;
            case OutcomeLog.Pending p -> RecordDelivery.State.PENDING;
            case OutcomeLog.Passed p -> RecordDelivery.State.DELIVERED;
            case OutcomeLog.Before b -> RecordDelivery.State.NOT_SENT;
        };
    }

    private boolean receives(CallStatus status) {
        return status == CallStatus.SUCCESS ? subscription.success() : subscription.failure();
    }

    private static String pendingReason(LaneStatus s) {
        return switch (s.state()) {
            case "paused" -> "the lane is paused; the record waits in the journal";
            case "waiting" -> "no plugin serves this name now; the record waits in the journal";
            case "retrying" -> "the lane is retrying an earlier batch: " + s.lastError().map(LaneStatus.LaneError::message)
                    .orElse("");
            case "stuck" -> "every worker is stuck in a plugin call; the record waits in the journal";
            default -> "waiting for its batch (" + s.lag().entries() + " record(s) not yet delivered)";
        };
    }

    private RecordDelivery delivery(LaneStatus s, RecordDelivery.State state, Instant time, String reason) {
        return new RecordDelivery(name, kind, state, Optional.ofNullable(time),
                Optional.ofNullable(reason), s.state(), s.lag().entries(), s.lagSeconds());
    }

    private boolean stuckNow() {
        lock.lock();
        try {
            return stuck > 0 && workers.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the lane. With {@code drain} (a memory journal at shutdown) the workers first deliver what
     * is left, one try per batch; otherwise undelivered records simply stay in the journal. The call in
     * progress gets until the deadline; then the plugin instance is closed and the cursor saved.
     *
     * @param timeout how long to wait in all
     * @param drain   deliver what is left first
     * @return records not delivered (still in the journal, or lost with a memory journal)
     */
    long stop(Duration timeout, boolean drain) {
        if (closed) {
            return 0;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        mode = drain ? Mode.DRAINING : Mode.STOPPING;
        wakeAll();
        if (drain) {
            awaitWorkers(deadline);
            mode = Mode.STOPPING;
            wakeAll();
        }
        awaitWorkers(deadline);
        closed = true;
        batcher.close();
        slot.unbind(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).plusSeconds(1));
        long left = batcher.lag().entries();
        metrics.remove();
        return left;
    }

    private void wakeAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        slot.wake();
    }

    private void awaitWorkers(long deadline) {
        lock.lock();
        try {
            while (!workers.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
