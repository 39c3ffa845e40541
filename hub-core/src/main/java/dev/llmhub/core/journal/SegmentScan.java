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
        n = 0;
        long bytes = 0;
        // Read before the segment sizes: every entry below it is within them (they are published first).
        long visibleHead = journal.visibleHead();
        List<Segment> segments = journal.segments();
        while (n < maxEntries && (n == 0 || bytes < maxBytes) && position < stopAt) {
            if (filePos < 0 && !locate(segments)) {
                break;
            }
            long limit = segment.size;
            if (filePos >= limit) {
                // Move on only from a sealed segment: its last entries are published before it is sealed.
                Segment next = after(segments, segment);
                if (!segment.sealed || next == null) {
                    position = Math.max(position, visibleHead); // past offsets that were never written
                    break;
                }
                open(next, 0);
                continue;
            }
            Frame f;
            try {
                f = frames.frameAt(filePos, limit);
            } catch (NoSuchFileException e) {
                closeFrames(); // deleted by retention meanwhile; the owner moves on
                break;
            }
            if (f == null) {
                skipCorrupt(limit);
                continue;
            }
            if (f.offset() < position) {
                filePos = f.end(); // a sparse index point before the wanted offset
                continue;
            }
            int size = f.payload().length;
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
        long lost = Math.max(0, (next != null ? next.offset() : segment.endOffset()) - position);
        journal.reportCorrupt(segment, filePos, lost);
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
            closeFrames();
            frames = new FrameReader(s.file, FrameReader.WINDOW);
            segment = s;
        }
        filePos = pos;
    }

    private static Segment after(List<Segment> segments, Segment s) {
        int i = segments.indexOf(s);
        return i >= 0 && i + 1 < segments.size() ? segments.get(i + 1) : null;
    }

    private void closeFrames() {
        if (frames != null) {
            try {
                frames.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
        frames = null;
        segment = null;
        filePos = -1;
    }

    @Override
    public void close() {
        closeFrames();
    }
}
