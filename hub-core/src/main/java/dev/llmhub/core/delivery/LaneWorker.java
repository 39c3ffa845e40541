package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.journal.Entry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One of a lane's workers: takes a batch, hands it to the plugin, and retries it with exponential
 * backoff and jitter — waiting at least what {@link ExportResult.Retryable#after()} asks — until it is
 * delivered, rejected for good, or {@code max_retry_elapsed} passes (never, by default: the journal
 * holds the records). A {@link ExportResult.Partial} result narrows the retry to the records that
 * failed. When the lane stops, a batch waiting to be retried stays in the journal for the next start.
 */
final class LaneWorker implements Runnable {
    private static final System.Logger LOG = System.getLogger(LaneWorker.class.getName());
    /** How long a handler's worker waits for a record before it looks at its events again. */
    private static final Duration HANDLER_POLL = Duration.ofMillis(50);
    private static final Duration DESTINATION_POLL = Duration.ofSeconds(1);

    private final Lane lane;
    private Batch carried;
    private volatile boolean abandoned;
    /** The batch in the plugin's hands now, for a stuck call's hand-over. */
    private volatile Batch current;

    /**
     * @param lane    its lane
     * @param carried a batch to deliver first (taken over from a stuck worker), or null
     */
    LaneWorker(Lane lane, Batch carried) {
        this.lane = lane;
        this.carried = carried;
    }

    void abandon() {
        abandoned = true;
    }

    @Override
    public void run() {
        try {
            while (!abandoned) {
                Batch b = carried;
                carried = null;
                if (b == null) {
                    if (lane.mode() == Lane.Mode.STOPPING) {
                        return;
                    }
                    if (lane.kind == LaneKind.HANDLER && handleEvents()) {
                        continue;
                    }
                    boolean draining = lane.mode() == Lane.Mode.DRAINING;
                    b = lane.batcher.next(lane.kind == LaneKind.HANDLER ? HANDLER_POLL : DESTINATION_POLL,
                            lane::stopping);
                    if (b == null) {
                        if (draining && (lane.events == null || lane.events.isEmpty())) {
                            return; // nothing left to drain
                        }
                        continue;
                    }
                }
                deliver(b);
            }
        } catch (InterruptedException e) {
            // the lane is stopping
        } catch (RuntimeException | Error e) {
            // A bug on our side must not end deliveries silently.
            LOG.log(Level.ERROR, "lane '" + lane.name + "': worker failed; undelivered records stay in the journal", e);
        } finally {
            lane.workerEnded(this);
        }
    }

    /** Delivers a handler's queued events, oldest first; false when there were none. */
    private boolean handleEvents() {
        lane.countDroppedEvents();
        Object event = lane.events.poll();
        if (event == null) {
            return false;
        }
        Binding b = lane.slot.acquire(() -> lane.mode() == Lane.Mode.STOPPING);
        if (b == null) {
            return false;
        }
        String error;
        long t0 = System.nanoTime();
        try {
            error = ((HandlerSender) lane.sender).sendEvent(b, event, lane.settings.exportTimeout(), this::stuck);
        } finally {
            lane.slot.release();
        }
        lane.exportTook(System.nanoTime() - t0);
        if (abandoned) {
            lane.unstuck();
        } else if (error == null) {
            lane.delivered(1);
        } else {
            lane.gaveUp(1, "event not handled: " + error + " (hooks are not retried)");
        }
        return true;
    }

    private void stuck() {
        lane.abandon(this, current); // null for an event: nothing to carry over
    }

    /** Delivers one batch until it is done or the lane stops. */
    private void deliver(Batch batch) {
        try {
            deliverUntilDone(batch);
        } finally {
            lane.outcomes.retryDone(this);
        }
    }

    private void deliverUntilDone(Batch batch) {
        Batch remaining = batch;
        long started = System.nanoTime();
        Duration backoff = lane.settings.retryInitialBackoff();
        while (true) {
            if (lane.mode() == Lane.Mode.STOPPING) {
                return; // stays in the journal
            }
            Binding b = lane.slot.acquire(() -> lane.mode() == Lane.Mode.STOPPING);
            if (b == null) {
                return;
            }
            current = remaining;
            ExportResult result;
            long t0 = System.nanoTime();
            try {
                result = lane.sender.send(b, remaining, lane.settings.exportTimeout(), this::stuck);
            } finally {
                lane.slot.release();
                current = null;
            }
            if (abandoned) {
                lane.unstuck(); // a new worker has taken the batch over
                return;
            }
            lane.exportTook(System.nanoTime() - t0);
            List<Entry<CallRecord>> delivered = new ArrayList<>();
            Set<String> retryIds = new HashSet<>();
            Duration after = Duration.ZERO;
            String reason;
            switch (result) {
                case ExportResult.Success s -> {
                    lane.ack(remaining.entries());
                    lane.delivered(remaining.entries());
                    return;
                }
                case ExportResult.Permanent p -> {
                    lane.ack(remaining.entries());
                    lane.gaveUp(remaining.entries(), lane.kind == LaneKind.HANDLER
                            ? "not handled: " + p.reason() + " (hooks are not retried)"
                            : "rejected permanently: " + p.reason());
                    return;
                }
                case ExportResult.Retryable r -> {
                    remaining.records().forEach(rec -> retryIds.add(rec.id()));
                    after = r.after();
                    reason = r.reason();
                }
                case ExportResult.Partial p -> {
                    reason = "partial failure";
                    // each permanent failure keeps its own reason (per record on the console)
                    Map<String, List<Entry<CallRecord>>> permanent = new LinkedHashMap<>();
                    for (int i = 0; i < remaining.size(); i++) {
                        CallRecord rec = remaining.records().get(i);
                        ExportResult f = p.failures().get(rec.id());
                        if (f instanceof ExportResult.Retryable r) {
                            retryIds.add(rec.id());
                            after = after.compareTo(r.after()) >= 0 ? after : r.after();
                            reason = r.reason();
                        } else if (f instanceof ExportResult.Permanent pf) {
                            permanent.computeIfAbsent(pf.reason(), k -> new ArrayList<>()).add(remaining.entries().get(i));
                        } else {
                            delivered.add(remaining.entries().get(i));
                        }
                    }
                    lane.ack(delivered);
                    permanent.values().forEach(lane::ack);
                    if (!delivered.isEmpty()) {
                        lane.delivered(delivered);
                    }
                    permanent.forEach((why, entries) -> lane.gaveUp(entries, "rejected permanently: " + why));
                    if (retryIds.isEmpty()) {
                        return;
                    }
                }
            }
            remaining = remaining.only(retryIds);
            if (!lane.sender.retries()) {
                lane.ack(remaining.entries());
                lane.gaveUp(remaining.entries(), "not handled: " + reason + " (hooks are not retried)");
                return;
            }
            if (lane.mode() == Lane.Mode.DRAINING) {
                lane.ack(remaining.entries());
                lane.gaveUp(remaining.entries(), "not delivered before the proxy stopped (durability: memory): " + reason);
                return;
            }
            Duration wait = max(after, jitter(backoff));
            long elapsed = System.nanoTime() - started;
            if (lane.settings.retryIsBounded()
                    && Duration.ofNanos(elapsed).plus(wait).compareTo(lane.settings.maxRetryElapsed()) > 0) {
                lane.ack(remaining.entries());
                lane.gaveUp(remaining.entries(), "given up after " + Duration.ofNanos(elapsed).toSeconds()
                        + " s of retries (max_retry_elapsed): " + reason);
                return;
            }
            lane.retrying(this, remaining, reason, wait);
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(lane.settings.retryMaxBackoff()) > 0 ? lane.settings.retryMaxBackoff() : doubled;
            if (lane.sleep(wait)) {
                return; // stopping: the batch stays in the journal
            }
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Backoff randomized by ±50%, so lanes that failed together do not retry together. */
    private static Duration jitter(Duration d) {
        long ms = d.toMillis();
        if (ms <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms + 1));
    }
}
