package dev.llmhub.core.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * Reads entries forward from an offset: from the tail cache when the offset is that recent (the
 * values as appended: no disk read, no decode), else from the segment files through one
 * {@link FrameReader} window, checking every frame. A corrupt frame is skipped by resynchronizing to
 * the next intact one and counted. Used by one thread at a time.
 */
final class SegmentScan<T> implements Closeable {

    /** Receives each entry read and where its frame starts in the journal's byte sequence. */
    interface Sink<T> {
        void accept(Entry<T> entry, long globalPosition);
    }

    private final LocalJournal<T> journal;
    /** The next offset to return. */
    long position;
    /** Where the frame at {@link #position} starts in the journal's byte sequence (byte lag). */
    long positionGlobal;
    /** Entries skipped as corrupt since the owner last took them. */
    long corrupt;
    /** A pre-filter on payloads (the console's search), or null: frames it refuses are skipped undecoded. */
    private java.util.function.Predicate<byte[]> filter;
    /** Where a filtered scan stops. */
    private long stopAt = Long.MAX_VALUE;
    private Segment segment;
    private FrameReader frames;
    private long filePos = -1;

    SegmentScan(LocalJournal<T> journal, long position) {
        this.journal = journal;
        moveTo(position);
    }

    /** Moves to an offset; the file position is found on the next read. */
    void moveTo(long offset) {
        position = offset;
        filePos = -1;
        positionGlobal = journal.globalPositionOf(offset);
    }

    /**
     * Makes this a search: frames whose payload {@code filter} refuses are skipped without decoding,
     * and reading stops before {@code stopAt}.
     */
    void filter(java.util.function.Predicate<byte[]> filter, long stopAt) {
        this.filter = filter;
        this.stopAt = stopAt;
    }

    /** Retention deleted {@code s}: skip what is left of it. */
    void deleted(Segment s) {
        if (position < s.endOffset()) {
            position = s.endOffset();
            positionGlobal = s.globalEnd();
            filePos = -1;
        }
        if (segment == s) {
            closeFrames();
        }
    }

    /**
     * @return entries read (at least one when any is readable, then up to the limits)
     */
    int read(int maxEntries, long maxBytes, Sink<T> sink) throws IOException {
        int n = fromCache(maxEntries, maxBytes, sink);
        if (n >= 0) {
            return n;
        }
        // Read before the segment sizes: every entry below it is within them (they are published first).
        long visibleHead = journal.visibleHead();
        List<Segment> segments = journal.segments();
        try {
            return readFiles(segments, visibleHead, maxEntries, maxBytes, sink);
        } catch (NoSuchFileException e) {
            closeFrames(); // deleted by retention meanwhile, which moves the owner on
            return 0;
        }
    }

    private int readFiles(List<Segment> segments, long visibleHead, int maxEntries, long maxBytes, Sink<T> sink)
            throws IOException {
        int n = 0;
        long bytes = 0;
        while (n < maxEntries && (n == 0 || bytes < maxBytes) && position < stopAt) {
            if (filePos < 0 && !locate(segments)) {
                break;
            }
            long limit = segment.size;
            if (filePos >= limit) {
                Segment next = after(segments, segment);
                if (next == null) {
                    // The end of everything visible: skip offsets that were never written (failed appends).
                    position = Math.max(position, visibleHead);
                    break;
                }
                // A rolled segment may still get its last entries published (with the batch that
                // rolled it): it is complete once sealed, or once the next one has a published entry.
                if (!segment.sealed && next.entries == 0) {
                    break;
                }
                if (filePos < segment.size) {
                    continue; // it grew before it was complete
                }
                open(next, 0);
                continue;
            }
            Frame f = frames.frameAt(filePos, limit);
            if (f == null) {
                skipCorrupt(limit);
                continue;
            }
            if (f.offset() < position) {
                filePos = f.end(); // a sparse index point before the wanted offset
                continue;
            }
            int size = f.length();
            if (n > 0 && bytes + size > maxBytes) {
                break;
            }
            if (filter != null && (f.offset() >= stopAt || !filter.test(f.payload()))) {
                advancePast(f);
                continue;
            }
            T value;
            try {
                value = journal.codec().decode(f.payload());
            } catch (RuntimeException e) {
                journal.reportCorrupt(segment, f.position(), 1);
                corrupt++;
                advancePast(f);
                continue;
            }
            sink.accept(new Entry<>(f.offset(), f.timestamp(), size, value), segment.globalStart + f.position());
            n++;
            bytes += size;
            advancePast(f);
        }
        return n;
    }

    /** @return entries taken from the tail cache, or -1 when the position is older than the cache */
    private int fromCache(int maxEntries, long maxBytes, Sink<T> sink) {
        journal.state.lock();
        try {
            TailCache<T> cache = journal.cache;
            if (cache.firstOffset() > position) {
                return -1;
            }
            int n = 0;
            long bytes = 0;
            int i = cache.indexOf(position);
            for (; i < cache.size() && n < maxEntries && cache.get(i).offset() < stopAt; i++) {
                Entry<T> e = cache.get(i);
                if (n > 0 && bytes + e.encodedSize() > maxBytes) {
                    break;
                }
                long global = cache.position(i);
                sink.accept(e, global);
                n++;
                bytes += e.encodedSize();
                position = e.offset() + 1;
                positionGlobal = global + Frame.size(e.encodedSize());
                filePos = -1; // the file position no longer matches; found again if the reader falls behind
            }
            if (i == cache.size()) {
                position = Math.max(position, journal.visibleHead()); // past offsets that were never written
            }
            return n;
        } finally {
            journal.state.unlock();
        }
    }

    private void advancePast(Frame f) {
        position = f.offset() + 1;
        filePos = f.end();
        positionGlobal = segment.globalStart + filePos;
    }

    private void skipCorrupt(long limit) throws IOException {
        Frame next = frames.resync(filePos, limit, position - 1);
        long end = next != null ? next.position() : limit;
        long walked = frames.framesBetween(filePos, end, position);
        long lost = walked >= 0 ? walked : Math.max(1, (next != null ? next.offset() : segment.endOffset()) - position);
        long all = frames.framesBetween(filePos, end, Long.MIN_VALUE); // for the journal's report, whoever finds it
        journal.reportCorrupt(segment, filePos, all >= 0 ? all : lost);
        corrupt += lost;
        if (next != null) {
            filePos = next.position();
            position = next.offset();
        } else {
            filePos = limit;
            position = Math.max(position, segment.endOffset());
        }
        positionGlobal = segment.globalStart + filePos;
    }

    /** Finds the segment holding {@link #position} and a file position at or before its frame. */
    private boolean locate(List<Segment> segments) throws IOException {
        if (segments.isEmpty()) {
            return false;
        }
        Segment target = segments.getFirst();
        for (Segment s : segments) {
            if (s.base <= position) {
                target = s;
            } else {
                break;
            }
        }
        open(target, target.index.positionFor(position));
        return true;
    }

    private void open(Segment s, long pos) throws IOException {
        if (segment != s) {
            segment = null;
            filePos = -1;
            if (frames == null) {
                frames = new FrameReader(s.file, FrameReader.WINDOW);
            } else {
                frames.open(s.file); // the same window: a reader's memory does not depend on how many segments it crosses
            }
            segment = s;
        }
        filePos = pos;
    }

    private static Segment after(List<Segment> segments, Segment s) {
        int i = segments.indexOf(s);
        return i >= 0 && i + 1 < segments.size() ? segments.get(i + 1) : null;
    }

    /** Stops reading the current segment file (deleted, or an interrupt closed it). */
    private void closeFrames() {
        if (frames != null) {
            try {
                frames.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
        segment = null;
        filePos = -1;
    }

    @Override
    public void close() {
        closeFrames();
        frames = null;
    }
}
