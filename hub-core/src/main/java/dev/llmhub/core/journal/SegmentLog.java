package dev.llmhub.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The segment files: recovery at open, the write path (frames, roll, fsync, failure), sealing and
 * deleting. Kafka's log shape: a list of append-only segments named by base offset; only the last
 * one is written; retention deletes whole segments, never rewrites one.
 *
 * <p>Writes happen under {@link #writeLock} (one writer at a time, whichever thread group commit
 * chose); the segment list is replaced, never changed in place, under the journal's state lock, so
 * readers take it without locking.
 */
final class SegmentLog<T> implements GroupCommit.Sink<T> {
    private static final Logger LOG = Logger.getLogger(LocalJournal.class.getName());
    private static final Pattern NAME = Pattern.compile("\\d{20}\\.log");
    private static final int STAGE_BYTES = 1 << 20;

    /** What the journal does with the outcome of a write. */
    interface Publisher<T> {
        /** Makes written entries visible to readers (in offset order). */
        void publish(List<PendingAppend<T>> written);

        /** Counts and reports appends that failed. */
        void failed(int entries, String reason);

        /** A segment was rolled: retention may have work. */
        void rolled();
    }

    private final Path dir;
    private final boolean fsync;
    private final long fsyncIntervalNanos;
    private final long segmentBytes;
    private final JournalCodec<T> codec;
    private final JournalObserver observer;
    private final ReentrantLock state;
    private Publisher<T> publisher;
    private volatile List<Segment> segments;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer stage = ByteBuffer.allocateDirect(STAGE_BYTES);
    private final List<PendingAppend<T>> staged = new ArrayList<>();
    private final List<Segment> toSeal = new ArrayList<>();
    private Segment active;
    private FileChannel channel;
    private long writePos;
    private long nextGlobal;
    private long lastSyncNanos;
    private boolean reinterrupt;
    private boolean stopped;

    private SegmentLog(Path dir, LocalJournal.Options<T> options, ReentrantLock state) {
        this.dir = dir;
        this.fsync = options.durability() == Durability.FSYNC;
        this.fsyncIntervalNanos = options.fsyncInterval().toNanos();
        this.segmentBytes = options.effectiveSegmentBytes();
        this.codec = options.codec();
        this.observer = options.observer();
        this.state = state;
    }

    /** What recovery found, for the one log line at open. */
    record Recovery(int scanned, long truncatedEntries, long truncatedBytes, long corruptEntries, long maxCutOffset) {
    }

    /**
     * Opens the segments in {@code dir}: segments whose index file matches are trusted as they are;
     * the others (written since the last clean close) are scanned: a torn tail is cut at the last
     * good frame, a corrupt region in the middle is skipped and reported.
     */
    static <T> SegmentLog<T> open(Path dir, LocalJournal.Options<T> options, ReentrantLock state, Recovery[] report)
            throws IOException {
        SegmentLog<T> log = new SegmentLog<>(dir, options, state);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path f : stream) {
                String name = f.getFileName().toString();
                if (NAME.matcher(name).matches()) {
                    files.add(f);
                } else if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                }
            }
        }
        files.sort(null); // 20-digit names sort by base offset
        List<Segment> list = new ArrayList<>();
        int scanned = 0;
        long[] counts = {0, 0, 0, -1};
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            String name = f.getFileName().toString();
            Segment s = new Segment(Long.parseLong(name.substring(0, 20)), f, log.nextGlobal);
            boolean last = i == files.size() - 1;
            if (!IndexFile.load(s, Files.size(f))) {
                log.scan(s, counts);
                scanned++;
                if (!last && s.entries > 0) {
                    IndexFile.write(s, log.fsync);
                }
            }
            if (!last && s.entries == 0) {
                Files.deleteIfExists(f);
                IndexFile.delete(s);
                continue;
            }
            s.sealed = !last;
            log.nextGlobal += s.size;
            list.add(s);
        }
        log.segments = List.copyOf(list);
        if (!list.isEmpty()) {
            Segment last = list.getLast();
            log.active = last;
            log.channel = openChannel(last.file);
            log.writePos = last.size;
            log.nextGlobal = last.globalStart; // where a segment replacing the active one would start
        }
        report[0] = new Recovery(scanned, counts[0], counts[1], counts[2], counts[3]);
        return log;
    }

    void publishTo(Publisher<T> p) {
        this.publisher = p;
    }

    /** @return the segments, oldest first; the last one may be the active one */
    List<Segment> segments() {
        return segments;
    }

    /** Reads a whole segment, validating every frame; fills its statistics and index. */
    private void scan(Segment s, long[] counts) throws IOException {
        long fileSize = Files.size(s.file);
        long lastOffset = s.base - 1;
        long pos = 0;
        try (FrameReader r = new FrameReader(s.file, STAGE_BYTES)) {
            while (pos < fileSize) {
                Frame f = r.headerAt(pos, fileSize);
                if (f != null && f.offset() > lastOffset) {
                    s.added(f.offset(), f.timestamp(), pos, f.size());
                    lastOffset = f.offset();
                    pos = f.end();
                    continue;
                }
                Frame next = r.resync(pos, fileSize, lastOffset);
                if (next == null) {
                    FrameReader.Torn torn = r.torn(pos, fileSize);
                    long entries = torn.entries();
                    counts[3] = Math.max(counts[3], torn.maxOffset());
                    long bytes = fileSize - pos;
                    try (FileChannel ch = FileChannel.open(s.file, StandardOpenOption.WRITE)) {
                        ch.truncate(pos);
                        if (fsync) {
                            ch.force(true);
                        }
                    }
                    counts[0] += entries;
                    counts[1] += bytes;
                    observer.truncated(entries, bytes, s.toString());
                    LOG.log(Level.WARNING, "journal: {0} ended in a torn write (the process stopped mid-write): cut {1,number,#} "
                            + "bytes ({2,number,#} incomplete entries) after the last intact entry",
                            new Object[] {s, bytes, entries});
                    break;
                }
                long walked = r.framesBetween(pos, next.position(), lastOffset + 1);
                long lost = walked > 0 ? walked : Math.max(1, next.offset() - lastOffset - 1);
                counts[2] += lost;
                s.firstReport(pos);
                observer.corrupt(lost, s.toString());
                LOG.log(Level.WARNING, "journal: {0} holds a corrupt region at byte {1,number,#} ({2,number,#} entries lost); "
                        + "skipped to the next intact entry", new Object[] {s, pos, lost});
                pos = next.position();
            }
        }
        s.size = pos;
    }

    // ---- writing ------------------------------------------------------------------------------

    @Override
    public void commit(List<PendingAppend<T>> batch, Supplier<List<PendingAppend<T>>> more) {
        writeLock.lock();
        try {
            if (stopped) {
                JournalWriteException e = new JournalWriteException("the journal is closed", null);
                batch.forEach(p -> p.fail(e));
                return;
            }
            List<PendingAppend<T>> written = new ArrayList<>(batch.size());
            write(batch, written);
            if (fsync && !written.isEmpty()) {
                long wait = lastSyncNanos + fsyncIntervalNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // appends that arrive meanwhile share this fsync
                    write(more.get(), written);
                }
                sync(written);
            }
            if (!written.isEmpty()) {
                publisher.publish(written);
                for (PendingAppend<T> p : written) {
                    p.complete();
                }
            }
            sealRolled();
        } finally {
            if (reinterrupt) {
                reinterrupt = false;
                Thread.currentThread().interrupt();
            }
            writeLock.unlock();
        }
    }

    private void write(List<PendingAppend<T>> list, List<PendingAppend<T>> written) {
        for (int i = 0; i < list.size(); i++) {
            PendingAppend<T> p = list.get(i);
            if (p.encoded == null) {
                try {
                    p.encoded = codec.encode(p.value);
                } catch (RuntimeException e) {
                    fail(List.of(p), "cannot encode the entry: " + e.getMessage(), e);
                    continue;
                }
            }
            int frame = Frame.size(p.encoded.length);
            if (p.encoded.length > Frame.MAX_PAYLOAD) {
                fail(List.of(p), "an entry of " + p.encoded.length + " bytes is larger than the limit of "
                        + Frame.MAX_PAYLOAD + " bytes", null);
                continue;
            }
            try {
                long end = writePos + stage.position();
                if (active != null && end > 0 && end + frame > segmentBytes) {
                    flush(written);
                    roll();
                }
                if (active == null) {
                    openActive(p.offset);
                }
                if (frame > stage.capacity()) {
                    flush(written);
                    long t0 = System.nanoTime();
                    p.segment = active;
                    p.position = writePos;
                    writeFully(Frame.header(p.offset, p.timestamp, p.encoded), writePos);
                    writeFully(ByteBuffer.wrap(p.encoded), writePos + Frame.HEADER);
                    writePos += frame;
                    written.add(p);
                    observer.written(1, System.nanoTime() - t0);
                    continue;
                }
                if (stage.remaining() < frame) {
                    flush(written);
                }
                p.segment = active;
                p.position = writePos + stage.position();
                Frame.put(stage, p.offset, p.timestamp, p.encoded);
                staged.add(p);
            } catch (IOException e) {
                List<PendingAppend<T>> victims = new ArrayList<>(staged);
                victims.addAll(list.subList(i, list.size()));
                staged.clear();
                stage.clear();
                fail(victims, "cannot write to " + dir + ": " + describe(e), e);
                restoreAfterFailure();
                return;
            }
        }
        try {
            flush(written);
        } catch (IOException e) {
            List<PendingAppend<T>> victims = new ArrayList<>(staged);
            staged.clear();
            stage.clear();
            fail(victims, "cannot write to " + dir + ": " + describe(e), e);
            restoreAfterFailure();
        }
    }

    private void flush(List<PendingAppend<T>> written) throws IOException {
        if (stage.position() == 0) {
            return;
        }
        long t0 = System.nanoTime();
        stage.flip();
        int bytes = stage.remaining();
        writeFully(stage, writePos);
        writePos += bytes;
        stage.clear();
        written.addAll(staged);
        observer.written(staged.size(), System.nanoTime() - t0);
        staged.clear();
    }

    /** fsyncs the active segment: every entry written so far is on disk. */
    private void sync(List<PendingAppend<T>> written) {
        if (channel == null) {
            return; // everything went into segments that were synced when they were rolled
        }
        long t0 = System.nanoTime();
        try {
            force();
            lastSyncNanos = System.nanoTime();
            observer.synced(lastSyncNanos - t0);
        } catch (IOException e) {
            // Nothing in the active segment is known to be on disk: fail those entries and cut them off.
            List<PendingAppend<T>> victims = new ArrayList<>();
            long cut = writePos;
            for (PendingAppend<T> p : written) {
                if (p.segment == active) {
                    victims.add(p);
                    cut = Math.min(cut, p.position);
                }
            }
            written.removeAll(victims);
            writePos = cut;
            fail(victims, "cannot fsync " + active + " in " + dir + ": " + describe(e), e);
            restoreAfterFailure();
        }
    }

    private void fail(List<PendingAppend<T>> victims, String reason, Throwable cause) {
        if (victims.isEmpty()) {
            return;
        }
        JournalWriteException e = new JournalWriteException(reason, cause);
        for (PendingAppend<T> p : victims) {
            p.fail(e);
        }
        publisher.failed(victims.size(), reason);
    }

    /** After a failed write: the file ends where the last good write ended; an empty new segment goes. */
    private void restoreAfterFailure() {
        if (active == null) {
            return;
        }
        try {
            channel.truncate(writePos);
        } catch (IOException e) {
            // The next write overwrites the same bytes (writes are positional); recovery cuts any rest.
        }
        if (writePos == 0) {
            discardActive();
        }
    }

    private void openActive(long base) throws IOException {
        Path file = dir.resolve(Segment.fileName(base));
        FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), DataDir.fileAttributes());
        if (ch.size() > 0) {
            ch.close();
            throw new IOException("a segment file " + file + " exists that the journal did not list");
        }
        Segment s = new Segment(base, file, nextGlobal);
        active = s;
        channel = ch;
        writePos = 0;
        replaceSegments(list -> list.add(s));
        if (fsync) {
            DataDir.syncDirectory(dir);
        }
    }

    /** Ends the active segment; the next entry starts a new one. It is sealed once its entries are published. */
    private void roll() throws IOException {
        if (fsync) {
            force();
        }
        channel.close();
        toSeal.add(active);
        publisher.rolled();
        nextGlobal = active.globalStart + writePos;
        active = null;
        channel = null;
        writePos = 0;
    }

    private void discardActive() {
        Segment s = active;
        try {
            channel.close();
            Files.deleteIfExists(s.file);
        } catch (IOException e) {
            LOG.log(Level.FINE, "journal: cannot remove the empty segment " + s, e);
        }
        active = null;
        channel = null;
        writePos = 0;
        replaceSegments(list -> list.remove(s));
    }

    /** Writes the index of rolled segments (their statistics are final once published). */
    private void sealRolled() {
        for (Segment s : toSeal) {
            try {
                IndexFile.write(s, fsync);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "journal: cannot write the index of {0} ({1}); it is scanned at the next start",
                        new Object[] {s, describe(e)});
            }
            s.sealed = true;
        }
        toSeal.clear();
    }

    /**
     * Rolls the active segment when its newest entry is older than {@code cutoffMillis}, so an idle
     * journal's last entries can age out too.
     */
    void rollIfIdle(long cutoffMillis) {
        writeLock.lock();
        try {
            if (stopped || active == null || writePos == 0 || active.lastTimestamp >= cutoffMillis) {
                return;
            }
            roll();
            sealRolled();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "journal: cannot roll the idle segment: {0}", describe(e));
        } finally {
            writeLock.unlock();
        }
    }

    /** Deletes a sealed segment's files (retention). */
    void delete(Segment s) {
        replaceSegments(list -> list.remove(s));
        try {
            Files.deleteIfExists(s.file);
            IndexFile.delete(s);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "journal: cannot delete {0}: {1}", new Object[] {s, describe(e)});
        }
    }

    private void replaceSegments(java.util.function.Consumer<List<Segment>> change) {
        state.lock();
        try {
            List<Segment> copy = new ArrayList<>(segments == null ? List.of() : segments);
            change.accept(copy);
            segments = List.copyOf(copy);
        } finally {
            state.unlock();
        }
    }

    /**
     * Stops writing. A clean close syncs the active segment and writes its index: the clean-close
     * marker that lets the next open skip scanning it.
     */
    void close(boolean clean) {
        writeLock.lock();
        try {
            stopped = true;
            if (channel != null) {
                if (clean) {
                    force();
                    IndexFile.write(active, true);
                }
                channel.close();
                channel = null;
            }
            if (clean) {
                sealRolled();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "journal: closing {0}: {1}; the next start scans it", new Object[] {active, describe(e)});
        } finally {
            writeLock.unlock();
        }
    }

    private void writeFully(ByteBuffer buf, long pos) throws IOException {
        int start = buf.position();
        while (buf.hasRemaining()) {
            try {
                channel.write(buf, pos + buf.position() - start);
            } catch (ClosedByInterruptException e) {
                reopenAfterInterrupt(); // positional writes: writing the same bytes again is harmless
            }
        }
    }

    private void force() throws IOException {
        while (true) {
            try {
                channel.force(false);
                return;
            } catch (ClosedByInterruptException e) {
                reopenAfterInterrupt();
            }
        }
    }

    /**
     * An interrupt of the writing thread (a request thread, under group commit) closes the channel:
     * reopen it with the interrupt cleared, and set the interrupt again when the write is done.
     */
    private void reopenAfterInterrupt() throws IOException {
        reinterrupt |= Thread.interrupted();
        channel = openChannel(active.file);
    }

    private static FileChannel openChannel(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
