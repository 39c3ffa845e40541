package dev.llmhub.core.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import dev.llmhub.core.logging.ThrottledLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The journal on local disk ({@code durability: process} or {@code fsync}). Layout of the data
 * directory:
 * <pre>
 * .lock                              held while open: one proxy per directory
 * segments/&lt;base offset&gt;.log      frames (see {@link Frame}); the last segment is written
 * segments/&lt;base offset&gt;.index    size, counts, times and sparse index of a sealed segment
 * cursors/&lt;encoded name&gt;.cursor    a cursor's committed offset, replaced atomically
 * </pre>
 * Appends go through {@link GroupCommit}; readers read from a tail cache at the head and from the
 * segment files behind it; a maintenance thread persists cursors (every {@value #MAINTENANCE_MILLIS}
 * ms), applies retention and deletes cursors unused for longer than {@code maxAge}.
 *
 * <p>Retention deletes whole segments, oldest first, never the one being written: a segment every
 * kept cursor has committed past; else a segment whose newest entry is older than {@code maxAge};
 * else the oldest segment while the segments and room for the active one to fill up exceed
 * {@code maxDiskBytes}. In the last two cases every entry a cursor had not read yet is counted as
 * dropped for it ({@link JournalReader#takeDropped()}, the observer, a WARN).
 *
 * @param <T> what is stored
 */
public final class LocalJournal<T> implements Journal<T> {
    private static final ThrottledLog DROP_LOG = new ThrottledLog(System.getLogger(LocalJournal.class.getName()),
            Duration.ofSeconds(10));
    private static final Logger LOG = Logger.getLogger(LocalJournal.class.getName());
    private static final String IN_FLIGHT_REMOVED = "removed by retention while being delivered";
    static final long MAINTENANCE_MILLIS = 100;

    /**
     * How a local journal is set up.
     *
     * @param dir            the data directory (created 0700 when missing)
     * @param durability     {@link Durability#PROCESS} or {@link Durability#FSYNC}
     * @param fsyncInterval  least time between two fsyncs ({@code fsync} only); zero syncs back to back
     * @param maxDiskBytes   most bytes of segments kept; the oldest segment goes when a new one would
     *                       not fit, counted as dropped for cursors that had not read it
     * @param maxAge         segments whose newest entry is older go, counted the same way; cursors not
     *                       opened for this long are deleted
     * @param segmentBytes   size at which a segment is rolled; at most an eighth of {@code maxDiskBytes}
     *                       is used, so retention never has to drop more than an eighth at once
     * @param tailCacheBytes encoded bytes of the newest entries kept decoded in memory for readers at
     *                       the head (the values take a few times that in heap)
     * @param codec          how values are encoded
     * @param observer       metrics and logs
     * @param clock          entry times, ages and cursor use times
     */
    public record Options<T>(Path dir, Durability durability, Duration fsyncInterval, long maxDiskBytes,
                             Duration maxAge, long segmentBytes, long tailCacheBytes, JournalCodec<T> codec,
                             JournalObserver observer, Clock clock) {
        public static final long DEFAULT_MAX_DISK_BYTES = 1L << 30;
        public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
        public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
        public static final long DEFAULT_TAIL_CACHE_BYTES = 16L << 20;

        public Options {
            Objects.requireNonNull(dir, "dir is null");
            Objects.requireNonNull(durability, "durability is null");
            Objects.requireNonNull(fsyncInterval, "fsyncInterval is null");
            Objects.requireNonNull(maxAge, "maxAge is null");
            Objects.requireNonNull(codec, "codec is null");
            Objects.requireNonNull(observer, "observer is null");
            Objects.requireNonNull(clock, "clock is null");
            if (durability == Durability.MEMORY) {
                throw new IllegalArgumentException("durability memory is the MemoryJournal, not a LocalJournal");
            }
            if (fsyncInterval.isNegative() || !maxAge.isPositive() || maxDiskBytes <= 0 || segmentBytes <= 0
                    || tailCacheBytes < 0) {
                throw new IllegalArgumentException("journal limits must be positive: max_disk " + maxDiskBytes
                        + ", max_age " + maxAge + ", segment " + segmentBytes + ", tail cache " + tailCacheBytes
                        + ", fsync_interval " + fsyncInterval);
            }
        }

        /** @return durability {@code process}, 1 GiB, 24 h, 64 MiB segments, 16 MiB tail cache, no observer */
        public static <T> Options<T> defaults(Path dir, JournalCodec<T> codec) {
            return new Options<>(dir, Durability.PROCESS, Duration.ZERO, DEFAULT_MAX_DISK_BYTES, DEFAULT_MAX_AGE,
                    DEFAULT_SEGMENT_BYTES, DEFAULT_TAIL_CACHE_BYTES, codec, JournalObserver.NONE, Clock.systemUTC());
        }

        public Options<T> withDurability(Durability v) {
            return new Options<>(dir, v, fsyncInterval, maxDiskBytes, maxAge, segmentBytes, tailCacheBytes, codec, observer, clock);
        }

        public Options<T> withFsyncInterval(Duration v) {
            return new Options<>(dir, durability, v, maxDiskBytes, maxAge, segmentBytes, tailCacheBytes, codec, observer, clock);
        }

        public Options<T> withMaxDiskBytes(long v) {
            return new Options<>(dir, durability, fsyncInterval, v, maxAge, segmentBytes, tailCacheBytes, codec, observer, clock);
        }

        public Options<T> withMaxAge(Duration v) {
            return new Options<>(dir, durability, fsyncInterval, maxDiskBytes, v, segmentBytes, tailCacheBytes, codec, observer, clock);
        }

        public Options<T> withSegmentBytes(long v) {
            return new Options<>(dir, durability, fsyncInterval, maxDiskBytes, maxAge, v, tailCacheBytes, codec, observer, clock);
        }

        public Options<T> withTailCacheBytes(long v) {
            return new Options<>(dir, durability, fsyncInterval, maxDiskBytes, maxAge, segmentBytes, v, codec, observer, clock);
        }

        public Options<T> withObserver(JournalObserver v) {
            return new Options<>(dir, durability, fsyncInterval, maxDiskBytes, maxAge, segmentBytes, tailCacheBytes, codec, v, clock);
        }

        public Options<T> withClock(Clock v) {
            return new Options<>(dir, durability, fsyncInterval, maxDiskBytes, maxAge, segmentBytes, tailCacheBytes, codec, observer, v);
        }

        /** @return the size at which segments roll */
        long effectiveSegmentBytes() {
            return Math.max(Frame.HEADER + 1, Math.min(segmentBytes, maxDiskBytes / 8));
        }
    }

    /** A kept cursor; guarded by {@link #state}. */
    private static final class CursorState extends KeptCursor<LocalReader<?>> {
        long savedCommitted = Long.MIN_VALUE;
        long savedLastUsed;
        long savedDropped;

        CursorState(String name) {
            super(name);
        }
    }

    /** Guards the tail cache, the cursors and segment list changes; readers wait on its condition. */
    final ReentrantLock state;
    private final Condition appendedSignal;
    final TailCache<T> cache;
    private final Map<String, CursorState> cursors = new LinkedHashMap<>();
    private volatile long visibleHead;
    private volatile long visibleGlobalEnd;

    /** Serializes retention, cursor persistence, and opening and closing readers. */
    private final ReentrantLock maintenance = new ReentrantLock();
    private final Options<T> options;
    private final DataDir dataDir;
    private final SegmentLog<T> log;
    private final GroupCommit<T> commit;
    private final CursorStore store;
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private final ThrottledLog failureLog = new ThrottledLog(System.getLogger(LocalJournal.class.getName()), Duration.ofSeconds(10));
    private final ThrottledLog cursorSaveLog = new ThrottledLog(System.getLogger(LocalJournal.class.getName()), Duration.ofSeconds(10));
    private final Thread maintainer;
    private volatile boolean stopping;
    private volatile boolean closed;
    private SegmentLog.Recovery recovery;

    private LocalJournal(Options<T> options, DataDir dataDir, SegmentLog<T> log, CursorStore store,
                         List<CursorStore.Saved> saved, ReentrantLock state, long minHead) {
        this.state = state;
        this.appendedSignal = state.newCondition();
        this.options = options;
        this.dataDir = dataDir;
        this.log = log;
        this.store = store;
        this.cache = new TailCache<>(options.tailCacheBytes());
        List<Segment> segments = log.segments();
        // Offsets are never reused: not those of a torn tail, nor those a cursor already passed.
        long head = Math.max(minHead, segments.isEmpty() ? 0 : segments.getLast().endOffset());
        long lastTimestamp = 0;
        for (Segment s : segments) {
            lastTimestamp = Math.max(lastTimestamp, s.lastTimestamp);
        }
        for (CursorStore.Saved s : saved) {
            CursorState cs = new CursorState(s.name());
            cs.committed = s.committed();
            cs.lastUsed = s.committed() < 0 ? options.clock().millis() : s.lastUsedMillis(); // damaged: keep it
            cs.dropped = s.dropped();
            cs.droppedReason = s.droppedReason();
            cs.savedCommitted = s.committed();
            cs.savedLastUsed = s.lastUsedMillis();
            cs.savedDropped = s.dropped();
            cursors.put(s.name(), cs);
            head = Math.max(head, s.committed());
        }
        this.visibleHead = head;
        this.visibleGlobalEnd = segments.isEmpty() ? 0 : segments.getLast().globalEnd();
        log.publishTo(new SegmentLog.Publisher<>() {
            @Override
            public void publish(List<PendingAppend<T>> written) {
                published(written);
            }

            @Override
            public void failed(int entries, String reason) {
                writeFailed(entries, reason);
            }

            @Override
            public void rolled() {
                LockSupport.unpark(LocalJournal.this.maintainer);
            }
        });
        this.commit = new GroupCommit<>(log, options.clock(), head, lastTimestamp);
        this.maintainer = Thread.ofPlatform().name("llmhub-journal-maintenance").daemon().unstarted(this::maintainLoop);
        maintainer.start();
    }

    /**
     * Opens (or creates) the journal in {@code options.dir()}, recovering from an unclean stop.
     *
     * @throws JournalOpenException when the directory is in use or unusable (the message says why)
     */
    public static <T> LocalJournal<T> open(Options<T> options) {
        DataDir dir = DataDir.open(options.dir());
        try {
            long t0 = System.nanoTime();
            SegmentLog.Recovery[] recovery = new SegmentLog.Recovery[1];
            ReentrantLock state = new ReentrantLock();
            SegmentLog<T> log = SegmentLog.open(dir.segments, options, state, recovery);
            CursorStore store = new CursorStore(dir.cursors, options.durability() == Durability.FSYNC);
            LocalJournal<T> journal = new LocalJournal<>(options, dir, log, store, store.loadAll(), state,
                    recovery[0].maxCutOffset() + 1);
            journal.recovery = recovery[0];
            journal.logOpened(recovery[0], System.nanoTime() - t0);
            return journal;
        } catch (IOException e) {
            dir.close();
            throw new JournalOpenException("cannot open the journal in " + dir.root + ": " + SegmentLog.describe(e), e);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    private void logOpened(SegmentLog.Recovery r, long nanos) {
        JournalStats s = stats();
        String how = r.scanned() == 0 ? "after a clean close"
                : String.format("after an unclean stop: scanned %d segment(s), cut %d torn entr%s (%d bytes), skipped %d corrupt entr%s",
                        r.scanned(), r.truncatedEntries(), r.truncatedEntries() == 1 ? "y" : "ies", r.truncatedBytes(),
                        r.corruptEntries(), r.corruptEntries() == 1 ? "y" : "ies");
        LOG.log(r.truncatedEntries() + r.corruptEntries() > 0 ? Level.WARNING : Level.INFO,
                "journal: opened {0} ({1}) in {2,number,#} ms {3}: {4,number,#} segment(s), {5,number,#} bytes, offsets {6,number,#} to {7,number,#}, {8,number,#} cursor(s)",
                new Object[] {dataDir.root, options.durability().wireName(), TimeUnit.NANOSECONDS.toMillis(nanos), how,
                    s.segments(), s.sizeBytes(), s.oldestOffset(), s.headOffset(), cursors.size()});
    }

    /** @return what recovery found at open (tests) */
    SegmentLog.Recovery recovery() {
        return recovery;
    }

    // ---- appending ----------------------------------------------------------------------------

    @Override
    public Append append(T value) {
        Objects.requireNonNull(value, "value is null");
        if (closed) {
            throw new JournalClosedException("the journal is closed");
        }
        return commit.append(value);
    }

    private void published(List<PendingAppend<T>> written) {
        state.lock();
        try {
            for (PendingAppend<T> p : written) {
                int size = p.encoded.length;
                int frame = Frame.size(size);
                p.segment.added(p.offset, p.timestamp, p.position, frame);
                long global = p.segment.globalStart + p.position;
                cache.add(new Entry<>(p.offset, p.timestamp, size, p.value, p.encoded), global);
                visibleGlobalEnd = global + frame;
                visibleHead = p.offset + 1;
                p.encoded = null; // the caller may hold the Append a while; the cache keeps the bytes as long as a reader needs them
            }
            cache.dropBefore(oldestNeededAtHead());
            appended.addAndGet(written.size());
            appendedSignal.signalAll();
        } finally {
            state.unlock();
        }
    }

    /**
     * @return the oldest offset a reader within the tail cache has still to read; readers behind it read
     *         the files anyway, and with no reader at the head nothing needs caching. Under the state lock.
     */
    private long oldestNeededAtHead() {
        long first = cache.firstOffset();
        long oldest = Long.MAX_VALUE;
        for (CursorState cs : cursors.values()) {
            LocalReader<?> r = cs.reader;
            if (r != null && r.position() >= first) {
                oldest = Math.min(oldest, r.position());
            }
        }
        return oldest;
    }

    private void writeFailed(int entries, String reason) {
        writeFailures.addAndGet(entries);
        options.observer().writeFailed(entries, reason);
        failureLog.log(System.Logger.Level.WARNING, held -> "journal: " + entries + " append(s) could not be written to "
                + dataDir.root + " (" + reason + "); they are not in the journal and their callers were told; the journal "
                + "retries with the next append" + ThrottledLog.heldBack(held));
    }

    // ---- cursors ------------------------------------------------------------------------------

    @Override
    public JournalReader<T> open(String name, StartFrom startFrom) {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(startFrom, "startFrom is null");
        maintenance.lock();
        try {
            checkOpen();
            long now = nowMillis();
            CursorState cs;
            long lostWhileAway = 0;
            state.lock();
            try {
                cs = cursors.get(name);
                if (cs != null && cs.reader != null) {
                    throw new IllegalStateException("cursor '" + name + "' already has an open reader");
                }
                long from = retainedFrom();
                long head = commit.nextOffset();
                if (cs == null) {
                    cs = new CursorState(name);
                    cs.committed = startFrom == StartFrom.HEAD ? head : from;
                    cursors.put(name, cs);
                } else if (cs.committed < 0) {
                    cs.committed = from; // its file was damaged: deliver again rather than skip
                } else if (cs.committed < from) {
                    lostWhileAway = from - cs.committed;
                    cs.committed = from;
                } else if (cs.committed > head) {
                    cs.committed = head;
                }
            } finally {
                state.unlock();
            }
            LocalReader<T> reader = new LocalReader<>(this, name, cs.committed, now);
            state.lock();
            try {
                cs.attach(reader, now);
            } finally {
                state.unlock();
            }
            if (lostWhileAway > 0) {
                String reason = "removed by retention while the cursor was behind";
                reader.counters.dropped(lostWhileAway, reason);
                dropped(name, lostWhileAway, reason, "");
            }
            save(cs, cs.committed, now); // a new cursor survives a crash from the start
            return reader;
        } finally {
            maintenance.unlock();
        }
    }

    void closeReader(LocalReader<?> reader) {
        maintenance.lock();
        long lostInFlight = 0;
        try {
            reader.markClosed(); // not under the state lock: a poll holds the reader's lock and then takes it
            CursorState cs;
            state.lock();
            try {
                cs = cursors.get(reader.name());
                if (cs == null || cs.reader != reader) {
                    return;
                }
                lostInFlight = cs.detach(retainedFrom(), IN_FLIGHT_REMOVED, nowMillis());
            } finally {
                state.unlock();
            }
            if (!closed) {
                save(cs, cs.committed, cs.lastUsed);
            }
            if (lostInFlight > 0) {
                dropped(cs.name, lostInFlight, IN_FLIGHT_REMOVED, "");
            }
        } finally {
            maintenance.unlock();
        }
    }

    @Override
    public List<CursorInfo> cursors() {
        state.lock();
        try {
            List<CursorInfo> out = new ArrayList<>();
            for (CursorState cs : cursors.values()) {
                out.add(cs.info());
            }
            return out;
        } finally {
            state.unlock();
        }
    }

    @Override
    public void deleteCursor(String name) {
        maintenance.lock();
        try {
            state.lock();
            try {
                CursorState cs = cursors.get(name);
                if (cs == null) {
                    return;
                }
                if (cs.reader != null) {
                    throw new IllegalStateException("cursor '" + name + "' has an open reader; close it first");
                }
                cursors.remove(name);
            } finally {
                state.unlock();
            }
            store.delete(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete cursor '" + name + "': " + SegmentLog.describe(e), e);
        } finally {
            maintenance.unlock();
        }
    }

    private void save(CursorState cs, long committed, long lastUsed) {
        try {
            store.save(new CursorStore.Saved(cs.name, committed, lastUsed, cs.dropped, cs.droppedReason));
            cs.savedCommitted = committed;
            cs.savedLastUsed = lastUsed;
            cs.savedDropped = cs.dropped;
        } catch (IOException e) {
            cursorSaveLog.log(System.Logger.Level.WARNING, held -> "journal: cannot save cursor '" + cs.name + "' in "
                    + dataDir.root + " (" + SegmentLog.describe(e) + "); it is retried, and a restart before that delivers "
                    + "some entries again" + ThrottledLog.heldBack(held));
        }
    }

    // ---- reading ------------------------------------------------------------------------------

    @Override
    public List<Entry<T>> read(long fromOffset, int maxEntries, long maxBytes) {
        checkOpen();
        try (SegmentScan<T> scan = new SegmentScan<>(this, Math.max(fromOffset, retainedFrom()))) {
            List<Entry<T>> out = new ArrayList<>();
            scan.read(maxEntries, maxBytes, (e, global) -> out.add(e));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal: " + SegmentLog.describe(e), e);
        }
    }

    /** Scans the segment files with the pre-filter applied to each frame's payload before it is decoded. */
    @Override
    public void scan(long fromOffset, long toOffset, java.util.function.Predicate<byte[]> mayMatch,
                     java.util.function.Consumer<Entry<T>> sink) {
        checkOpen();
        try (SegmentScan<T> scan = new SegmentScan<>(this, Math.max(fromOffset, retainedFrom()))) {
            scan.filter(mayMatch, toOffset);
            while (scan.position < toOffset && scan.read(Integer.MAX_VALUE, Long.MAX_VALUE, (e, global) -> {
                if (e.offset() < toOffset) {
                    sink.accept(e);
                }
            }) > 0) {
                // read returns after the filtered stretch it could see; go on until toOffset or the head
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal: " + SegmentLog.describe(e), e);
        }
    }

    @Override
    public long offsetAt(Instant time) {
        long t = time.toEpochMilli();
        for (Segment s : log.segments()) {
            if (s.entries == 0 || s.lastTimestamp < t) {
                continue;
            }
            if (s.firstTimestamp >= t) {
                return s.firstOffset;
            }
            long limit = s.size;
            try (FrameReader r = new FrameReader(s.file, FrameReader.WINDOW)) {
                long pos = s.index.positionForTime(t);
                while (pos < limit) {
                    Frame f = r.headerAt(pos, limit);
                    if (f == null) {
                        f = r.resync(pos, limit, -1);
                        if (f == null) {
                            break;
                        }
                    }
                    if (f.timestamp() >= t) {
                        return f.offset();
                    }
                    pos = f.end();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + s + ": " + SegmentLog.describe(e), e);
            }
        }
        return visibleHead;
    }

    @Override
    public JournalStats stats() {
        List<Segment> segments = log.segments();
        long size = 0;
        long oldest = -1;
        long oldestTime = -1;
        for (Segment s : segments) {
            size += s.size;
            if (oldest < 0 && s.entries > 0) {
                oldest = s.firstOffset;
                oldestTime = s.firstTimestamp;
            }
        }
        long head = commit.nextOffset();
        return new JournalStats("local", options.durability().wireName(), size, segments.size(),
                oldest < 0 ? head : oldest, head,
                oldestTime < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldestTime)),
                appended.get(), writeFailures.get());
    }

    // ---- for readers and scans ----------------------------------------------------------------

    List<Segment> segments() {
        return log.segments();
    }

    JournalCodec<T> codec() {
        return options.codec();
    }

    long nowMillis() {
        return options.clock().millis();
    }

    boolean isClosed() {
        return closed;
    }

    long visibleHead() {
        return visibleHead;
    }

    long visibleGlobalEnd() {
        return visibleGlobalEnd;
    }

    /** @return the first offset still on disk (the head when nothing is) */
    long retainedFrom() {
        List<Segment> segments = log.segments();
        return segments.isEmpty() ? visibleHead : segments.getFirst().base;
    }

    long clampToRetained(long offset) {
        return Math.max(retainedFrom(), Math.min(offset, commit.nextOffset()));
    }

    /** @return where the frame of {@code offset} starts in the journal's byte sequence (at most one index interval early) */
    long globalPositionOf(long offset) {
        if (offset >= visibleHead) {
            return visibleGlobalEnd;
        }
        Segment target = null;
        for (Segment s : log.segments()) {
            if (s.base <= offset) {
                target = s;
            }
        }
        return target == null ? 0 : target.globalStart + target.index.positionFor(offset);
    }

    /** @return when the entry at {@code offset} was appended (from the cache, else to within one index interval) */
    Optional<Instant> timestampNear(long offset) {
        state.lock();
        try {
            if (cache.firstOffset() <= offset) {
                int i = cache.indexOf(offset);
                if (i < cache.size()) {
                    return Optional.of(Instant.ofEpochMilli(cache.get(i).timestampMillis()));
                }
            }
        } finally {
            state.unlock();
        }
        for (Segment s : log.segments()) {
            if (s.entries > 0 && s.lastOffset >= offset) {
                long t = s.index.timestampFor(offset);
                return Optional.of(Instant.ofEpochMilli(t >= 0 ? t : s.firstTimestamp));
            }
        }
        return Optional.empty();
    }

    /** Waits until an entry at or after {@code position} is visible. @return false on timeout or close */
    boolean awaitAppend(long position, long deadlineNanos) throws InterruptedException {
        state.lock();
        try {
            while (visibleHead <= position) {
                if (closed) {
                    return false;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                appendedSignal.awaitNanos(left);
            }
            return !closed;
        } finally {
            state.unlock();
        }
    }

    /** Reports a corrupt region once per place, however many readers find it. */
    void reportCorrupt(Segment s, long position, long entries) {
        if (s.firstReport(position)) {
            options.observer().corrupt(entries, s.toString());
            LOG.log(Level.WARNING, "journal: {0} holds a corrupt entry at byte {1,number,#} ({2,number,#} entries unreadable); skipped",
                    new Object[] {s, position, entries});
        }
    }

    // ---- maintenance: cursors, retention ------------------------------------------------------

    private void maintainLoop() {
        while (!stopping) {
            maintain();
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(MAINTENANCE_MILLIS));
        }
    }

    /** Applies retention, deletes unused cursors, persists changed cursors. Runs every 100 ms and on demand. */
    void maintain() {
        maintenance.lock();
        try {
            if (closed) {
                return;
            }
            long cutoff = nowMillis() - options.maxAge().toMillis();
            log.rollIfIdle(cutoff);
            applyRetention(cutoff);
            deleteUnusedCursors(cutoff);
            persistCursors();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "journal: maintenance failed; retried in " + MAINTENANCE_MILLIS + " ms", e);
        } finally {
            maintenance.unlock();
        }
    }

    private void applyRetention(long cutoff) {
        while (true) {
            List<Segment> segments = log.segments();
            if (segments.isEmpty() || !segments.getFirst().sealed) {
                return;
            }
            Segment oldest = segments.getFirst();
            String reason;
            // Delivered segments stay until max_age or max_disk: they are what `start_from: earliest`
            // backfills, what a replay re-reads and what the console searches. Only the bounds remove
            // segments; a cursor still behind then loses (and counts) what it had not read.
            if (oldest.entries == 0) {
                reason = "empty";
            } else if (oldest.lastTimestamp < cutoff) {
                reason = "max_age " + human(options.maxAge()) + " reached";
            } else if (diskNeeded(segments) > options.maxDiskBytes()) {
                reason = "max_disk " + human(options.maxDiskBytes()) + " reached";
            } else {
                return;
            }
            delete(oldest, reason);
        }
    }

    /** Bytes on disk plus room for the active segment to fill up: the budget is never exceeded. */
    private long diskNeeded(List<Segment> segments) {
        long total = 0;
        for (Segment s : segments) {
            total += s.size;
        }
        Segment last = segments.getLast();
        return total + (last.sealed ? options.effectiveSegmentBytes()
                : Math.max(0, options.effectiveSegmentBytes() - last.size));
    }

    private void delete(Segment s, String reason) {
        List<CursorState> all;
        state.lock();
        try {
            all = new ArrayList<>(cursors.values());
        } finally {
            state.unlock();
        }
        for (CursorState cs : all) {
            long lost;
            LocalReader<?> reader = cs.reader;
            if (reader != null) {
                lost = reader.deleted(s, reason);
            } else {
                state.lock();
                try {
                    lost = s.entriesFrom(cs.committed);
                    cs.skipTo(s.endOffset(), lost, reason);
                } finally {
                    state.unlock();
                }
            }
            if (lost > 0) {
                dropped(cs.name, lost, reason, s.toString());
            }
        }
        log.delete(s);
    }

    private void dropped(String cursor, long entries, String reason, String segment) {
        options.observer().dropped(cursor, entries, reason);
        // The lane reading the cursor counts and reports its losses too; this line is for closed cursors.
        DROP_LOG.log(System.Logger.Level.WARNING, held -> "journal: cursor '" + cursor + "' lost " + entries + " entr"
                + (entries == 1 ? "y" : "ies") + " it had not read yet" + (segment.isEmpty() ? "" : " when " + segment
                + " was removed") + ": " + reason + ThrottledLog.heldBack(held));
    }

    private void deleteUnusedCursors(long cutoff) {
        List<String> unused = new ArrayList<>();
        state.lock();
        try {
            cursors.values().removeIf(cs -> {
                boolean gone = cs.reader == null && cs.lastUsed < cutoff;
                if (gone) {
                    unused.add(cs.name);
                }
                return gone;
            });
        } finally {
            state.unlock();
        }
        for (String name : unused) {
            try {
                store.delete(name);
                LOG.log(Level.INFO, "journal: cursor ''{0}'' was unused for longer than max_age {1}: deleted",
                        new Object[] {name, human(options.maxAge())});
            } catch (IOException e) {
                LOG.log(Level.WARNING, "journal: cannot delete cursor ''{0}'': {1}", new Object[] {name, SegmentLog.describe(e)});
            }
        }
    }

    private void persistCursors() {
        List<CursorState> all;
        state.lock();
        try {
            all = new ArrayList<>(cursors.values());
        } finally {
            state.unlock();
        }
        for (CursorState cs : all) {
            LocalReader<?> r = cs.reader;
            long committed = r != null ? r.committed() : cs.committed;
            long lastUsed = r != null ? r.lastUsedMillis : cs.lastUsed;
            if (committed != cs.savedCommitted || cs.dropped != cs.savedDropped
                    || lastUsed - cs.savedLastUsed > TimeUnit.MINUTES.toMillis(1)) {
                save(cs, committed, lastUsed);
            }
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    @Override
    public void close() {
        maintenance.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            maintenance.unlock();
        }
        stopMaintainer();
        commit.close();
        log.close(true);
        maintenance.lock();
        try {
            List<CursorState> all;
            state.lock();
            try {
                all = new ArrayList<>(cursors.values());
                appendedSignal.signalAll();
            } finally {
                state.unlock();
            }
            StringBuilder lags = new StringBuilder();
            for (CursorState cs : all) {
                LocalReader<?> r = cs.reader;
                long committed = r != null ? r.committed() : cs.committed;
                long lastUsed = r != null ? r.lastUsedMillis : cs.lastUsed;
                cs.committed = committed;
                save(cs, committed, lastUsed);
                lags.append(lags.isEmpty() ? "" : ", ").append(cs.name).append(' ')
                        .append(Math.max(0, visibleHead - committed));
            }
            LOG.log(Level.INFO, "journal: closed {0} cleanly at offset {1,number,#}; entries kept for the next start per cursor: {2}",
                    new Object[] {dataDir.root, visibleHead, lags.isEmpty() ? "no cursors" : lags});
        } finally {
            maintenance.unlock();
            dataDir.close();
        }
    }

    /** Stops as a killed process would, for tests: nothing more is written, synced or saved. */
    void simulateCrash() {
        closed = true;
        stopMaintainer();
        commit.abandon();
        log.close(false);
        List<LocalReader<?>> readers = new ArrayList<>();
        state.lock();
        try {
            for (CursorState cs : cursors.values()) {
                if (cs.reader != null) {
                    readers.add(cs.reader);
                }
            }
            appendedSignal.signalAll();
        } finally {
            state.unlock();
        }
        readers.forEach(LocalReader::markClosed);
        dataDir.close();
    }

    private void stopMaintainer() {
        stopping = true;
        LockSupport.unpark(maintainer);
        try {
            maintainer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new JournalClosedException("the journal is closed");
        }
    }

    static String human(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + " MiB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }

    static String human(Duration d) {
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + "h";
        }
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toMillis() + "ms";
    }

    @Override
    public String toString() {
        return "LocalJournal[" + dataDir.root + "]";
    }
}
