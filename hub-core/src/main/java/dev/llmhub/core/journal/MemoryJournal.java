package dev.llmhub.core.journal;

import dev.llmhub.core.logging.ThrottledLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The journal in memory ({@code durability: memory}): the same contract as {@link LocalJournal}, lost
 * when the process exits. Appends complete at once and encode nothing. Bounded by a byte budget (the
 * codec's size estimate): when an append goes over it, the oldest entries go, counted as dropped for
 * every cursor that had not read them yet, like retention on disk.
 *
 * @param <T> what is stored
 */
public final class MemoryJournal<T> implements Journal<T> {
    private static final ThrottledLog DROP_LOG = new ThrottledLog(System.getLogger(MemoryJournal.class.getName()),
            Duration.ofSeconds(10));
    private static final Logger LOG = Logger.getLogger(MemoryJournal.class.getName());

    private final JournalCodec<T> codec;
    private final JournalObserver observer;
    private final Clock clock;
    private final String dropReason;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appendedSignal = lock.newCondition();
    private final TailCache<T> entries;
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();
    private long nextOffset;
    private long lastTimestamp;
    private long bytesEnd;
    private long appended;
    private boolean closed;

    /** A kept cursor. */
    private final class Cursor extends KeptCursor<Reader> {
        Cursor(String name) {
            super(name);
        }
    }

    /**
     * @param budgetBytes most bytes held (by the codec's estimate)
     * @param codec       only its {@link JournalCodec#estimateSize} is used
     * @param observer    drops are reported here
     * @param clock       entry times
     */
    public MemoryJournal(long budgetBytes, JournalCodec<T> codec, JournalObserver observer, Clock clock) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("the memory journal budget must be positive: " + budgetBytes);
        }
        this.codec = Objects.requireNonNull(codec, "codec is null");
        this.observer = Objects.requireNonNull(observer, "observer is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.entries = new TailCache<>(budgetBytes);
        this.dropReason = "memory journal budget " + LocalJournal.human(budgetBytes) + " reached";
    }

    @Override
    public Append append(T value) {
        Objects.requireNonNull(value, "value is null");
        long size = codec.estimateSize(value);
        lock.lock();
        try {
            if (closed) {
                throw new JournalClosedException("the journal is closed");
            }
            long offset = nextOffset++;
            lastTimestamp = Math.max(lastTimestamp, clock.millis());
            long before = entries.firstOffset();
            entries.add(new Entry<>(offset, lastTimestamp, (int) Math.min(Integer.MAX_VALUE, size), value), bytesEnd);
            bytesEnd += size;
            appended++;
            long after = entries.firstOffset();
            if (before != Long.MAX_VALUE && after > before) {
                evicted(before, after);
            }
            appendedSignal.signalAll();
            return Append.done(offset);
        } finally {
            lock.unlock();
        }
    }

    /** Offsets {@code [from, to)} were evicted: each cursor loses those it had not read. */
    private void evicted(long from, long to) {
        for (Cursor c : cursors.values()) {
            long lost;
            if (c.reader != null) {
                lost = Math.max(0, to - Math.max(from, c.reader.position));
                c.reader.evicted(to, lost, dropReason);
            } else {
                lost = Math.max(0, to - Math.max(from, c.committed));
                c.skipTo(to, lost, dropReason);
            }
            if (lost > 0) {
                observer.dropped(c.name, lost, dropReason);
                long n = lost;
                DROP_LOG.log(System.Logger.Level.WARNING, held -> "journal: cursor '" + c.name + "' lost " + n
                        + " entries it had not read yet: " + dropReason + ThrottledLog.heldBack(held));
            }
        }
    }

    @Override
    public JournalReader<T> open(String name, StartFrom startFrom) {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(startFrom, "startFrom is null");
        lock.lock();
        try {
            checkOpen();
            Cursor c = cursors.get(name);
            if (c != null && c.reader != null) {
                throw new IllegalStateException("cursor '" + name + "' already has an open reader");
            }
            if (c == null) {
                c = new Cursor(name);
                c.committed = startFrom == StartFrom.HEAD ? nextOffset : oldest();
                cursors.put(name, c);
            }
            Reader r = new Reader(c, Math.max(c.committed, oldest()));
            c.attach(r, clock.millis());
            return r;
        } finally {
            lock.unlock();
        }
    }

    private long oldest() {
        return Math.min(entries.firstOffset(), nextOffset);
    }

    @Override
    public List<CursorInfo> cursors() {
        lock.lock();
        try {
            List<CursorInfo> out = new ArrayList<>();
            for (Cursor c : cursors.values()) {
                out.add(c.info());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void deleteCursor(String name) {
        lock.lock();
        try {
            Cursor c = cursors.get(name);
            if (c != null && c.reader != null) {
                throw new IllegalStateException("cursor '" + name + "' has an open reader; close it first");
            }
            cursors.remove(name);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Entry<T>> read(long fromOffset, int maxEntries, long maxBytes) {
        lock.lock();
        try {
            List<Entry<T>> out = new ArrayList<>();
            copy(fromOffset, maxEntries, maxBytes, out, null);
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Copies entries from {@code from}; feeds {@code unacked} when given. @return the next offset */
    private long copy(long from, int maxEntries, long maxBytes, List<Entry<T>> out, AckTracker unacked) {
        long bytes = 0;
        long next = from;
        for (int i = entries.indexOf(from); i < entries.size() && out.size() < maxEntries; i++) {
            Entry<T> e = entries.get(i);
            if (!out.isEmpty() && bytes + e.encodedSize() > maxBytes) {
                break;
            }
            out.add(e);
            bytes += e.encodedSize();
            if (unacked != null) {
                unacked.add(e.offset(), entries.position(i), e.timestampMillis());
            }
            next = e.offset() + 1;
        }
        return next;
    }

    @Override
    public long offsetAt(Instant time) {
        long t = time.toEpochMilli();
        lock.lock();
        try {
            int lo = 0;
            int hi = entries.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (entries.get(mid).timestampMillis() < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < entries.size() ? entries.get(lo).offset() : nextOffset;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public JournalStats stats() {
        lock.lock();
        try {
            Optional<Instant> oldestTime = entries.size() == 0 ? Optional.empty()
                    : Optional.of(Instant.ofEpochMilli(entries.get(0).timestampMillis()));
            return new JournalStats("memory", Durability.MEMORY.wireName(), entries.bytes(), 1, oldest(), nextOffset,
                    oldestTime, appended, 0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            appendedSignal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new JournalClosedException("the journal is closed");
        }
    }

    /** A reader; all its state is guarded by the journal's lock (nothing here does I/O). */
    private final class Reader extends AckTrackingReader<T> {
        private final Cursor cursor;
        private long position;
        private volatile long committed;
        private boolean closed;

        Reader(Cursor cursor, long position) {
            super(cursor.name, MemoryJournal.this.lock, clock.millis());
            this.cursor = cursor;
            this.position = position;
            this.committed = position;
        }

        @Override
        public List<Entry<T>> poll(int maxEntries, long maxBytes, Duration wait) throws InterruptedException {
            long deadline = PollDeadline.of(maxEntries, wait);
            lock.lock();
            try {
                while (true) {
                    if (closed) {
                        throw PollDeadline.closedReader(cursor.name);
                    }
                    if (MemoryJournal.this.closed) {
                        return List.of();
                    }
                    List<Entry<T>> out = new ArrayList<>();
                    position = copy(position, maxEntries, maxBytes, out, unacked);
                    updateCommitted();
                    if (!out.isEmpty()) {
                        return out;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return out;
                    }
                    appendedSignal.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }

        void evicted(long to, long lost, String reason) {
            counters.dropped(lost, reason);
            position = Math.max(position, to);
            updateCommitted();
        }

        @Override
        void updateCommitted() {
            committed = unacked.isEmpty() ? position : unacked.firstOffset();
        }

        @Override
        long nowMillis() {
            return clock.millis();
        }

        @Override
        void moveTo(long offset) {
            position = Math.max(oldest(), Math.min(offset, nextOffset));
        }

        @Override
        public long position() {
            lock.lock();
            try {
                return position;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long committed() {
            return committed;
        }

        @Override
        public Lag lag() {
            lock.lock();
            try {
                long c = committed;
                long n = Math.max(0, nextOffset - c);
                if (n == 0) {
                    return new Lag(0, 0, Optional.empty());
                }
                int i = entries.indexOf(c);
                long fromBytes = unacked.isEmpty() ? (i < entries.size() ? entries.position(i) : bytesEnd) : unacked.firstPosition();
                long oldest = unacked.isEmpty() ? (i < entries.size() ? entries.get(i).timestampMillis() : -1) : unacked.firstTimestamp();
                return new Lag(n, bytesEnd - fromBytes, oldest < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldest)));
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                long lost = cursor.detach(oldest(), dropReason, clock.millis());
                if (lost > 0) {
                    observer.dropped(cursor.name, lost, dropReason);
                }
                committed = cursor.committed; // a closed reader says where its cursor stays
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return "JournalReader[" + cursor.name + ", committed=" + committed + "]";
        }
    }

    @Override
    public String toString() {
        return "MemoryJournal[" + dropReason + "]";
    }
}
