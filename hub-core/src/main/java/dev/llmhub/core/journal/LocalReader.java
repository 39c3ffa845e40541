package dev.llmhub.core.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/** A cursor of a {@link LocalJournal}: a {@link SegmentScan} plus what was returned and not yet acknowledged. */
final class LocalReader<T> extends AckTrackingReader<T> {
    private final LocalJournal<T> journal;
    private final SegmentScan<T> scan;
    private volatile long position;
    private volatile long committed;
    private volatile long committedGlobal;
    private volatile long oldestUnackedMillis = -1;
    private volatile boolean closed;

    LocalReader(LocalJournal<T> journal, String name, long start, long nowMillis) {
        // Its own lock: held by poll, ack, seek and by retention adjusting this reader; never while waiting.
        super(name, new ReentrantLock(), nowMillis);
        this.journal = journal;
        this.scan = new SegmentScan<>(journal, start);
        updateCommitted();
    }

    @Override
    public List<Entry<T>> poll(int maxEntries, long maxBytes, Duration wait) throws InterruptedException {
        long deadline = PollDeadline.of(maxEntries, wait);
        while (true) {
            lock.lock();
            try {
                if (closed) {
                    throw PollDeadline.closedReader(name);
                }
                if (journal.isClosed()) {
                    return List.of();
                }
                long retainedFrom = journal.retainedFrom();
                if (scan.position < retainedFrom) {
                    // Retention adjusts readers before it deletes; this only catches what slipped past.
                    counters.dropped(retainedFrom - scan.position, "removed by retention before it was read");
                    scan.moveTo(retainedFrom);
                }
                List<Entry<T>> out = new ArrayList<>();
                scan.read(maxEntries, maxBytes, (e, global) -> {
                    out.add(e);
                    unacked.add(e.offset(), global, e.timestampMillis());
                });
                takeCorrupt(scan);
                updateCommitted();
                if (!out.isEmpty()) {
                    return out;
                }
            } catch (ClosedByInterruptException e) {
                scan.close();
                throw new InterruptedException("interrupted while reading the journal");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the journal for cursor '" + name + "': "
                        + SegmentLog.describe(e), e);
            } finally {
                lock.unlock();
            }
            if (!journal.awaitAppend(position, deadline)) {
                return List.of();
            }
        }
    }

    private void takeCorrupt(SegmentScan<T> s) {
        if (s.corrupt > 0) {
            counters.corrupt(s.corrupt);
            s.corrupt = 0;
        }
    }

    @Override
    long nowMillis() {
        return journal.nowMillis();
    }

    @Override
    void moveTo(long offset) {
        scan.moveTo(journal.clampToRetained(offset));
    }

    /** Retention is deleting {@code s}: counts what this reader had not read of it and skips it. */
    long deleted(Segment s, String reason) {
        lock.lock();
        try {
            long lost = s.entriesFrom(scan.position);
            counters.dropped(lost, reason);
            scan.deleted(s);
            updateCommitted();
            return lost;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void updateCommitted() {
        position = scan.position;
        if (unacked.isEmpty()) {
            committedGlobal = scan.positionGlobal;
            oldestUnackedMillis = -1;
            committed = scan.position;
        } else {
            committedGlobal = unacked.firstPosition();
            oldestUnackedMillis = unacked.firstTimestamp();
            committed = unacked.firstOffset();
        }
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long committed() {
        return committed;
    }

    @Override
    public Lag lag() {
        long c = committed;
        long entries = Math.max(0, journal.visibleHead() - c);
        if (entries == 0) {
            return new Lag(0, 0, Optional.empty());
        }
        long bytes = Math.max(0, journal.visibleGlobalEnd() - committedGlobal - entries * Frame.HEADER);
        long oldest = oldestUnackedMillis;
        Optional<Instant> at = oldest >= 0 ? Optional.of(Instant.ofEpochMilli(oldest)) : journal.timestampNear(c);
        return new Lag(entries, bytes, at);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        journal.closeReader(this);
    }

    /** Called by the journal under its locks. */
    void markClosed() {
        lock.lock();
        try {
            closed = true;
            scan.close();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "JournalReader[" + Objects.toString(name) + ", position=" + position + ", committed=" + committed + "]";
    }
}
