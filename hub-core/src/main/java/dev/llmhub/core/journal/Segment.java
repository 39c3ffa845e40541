package dev.llmhub.core.journal;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * One segment file, {@code segments/<base offset, 20 digits>.log}: frames of consecutive entries
 * whose offsets are at least {@link #base}. What the journal knows about it without reading it —
 * size, entry count, first and last offset and time, a sparse index — comes from its index file
 * (written when it is sealed and at a clean close) or from scanning it at open.
 *
 * <p>Written only by the journal's writer; read from any thread (volatile fields, written under the
 * journal's state lock so a reader never sees a size that does not end on a frame).
 */
final class Segment {
    final long base;
    final Path file;
    /** Bytes of all older segments ever held by this journal since it was opened: positions for byte lag. */
    final long globalStart;
    final SparseIndex index = new SparseIndex();

    volatile long size;
    volatile long entries;
    volatile long firstOffset = -1;
    volatile long lastOffset = -1;
    volatile long firstTimestamp = -1;
    volatile long lastTimestamp = -1;
    volatile boolean sealed;

    private final Set<Long> reportedCorrupt = new HashSet<>();

    Segment(long base, Path file, long globalStart) {
        this.base = base;
        this.file = file;
        this.globalStart = globalStart;
    }

    static String fileName(long base) {
        return String.format("%020d.log", base);
    }

    static Path indexFile(Path segmentFile) {
        String name = segmentFile.getFileName().toString();
        return segmentFile.resolveSibling(name.substring(0, name.length() - ".log".length()) + ".index");
    }

    /** Records a frame that is now part of the file (writer, or the scan at open). */
    void added(long offset, long timestamp, long position, int frameSize) {
        index.maybeAdd(offset, position, timestamp);
        if (firstOffset < 0) {
            firstOffset = offset;
            firstTimestamp = timestamp;
        }
        lastOffset = offset;
        lastTimestamp = timestamp;
        entries++;
        size = position + frameSize;
    }

    /** @return entries in this segment with an offset at or after {@code from} */
    long entriesFrom(long from) {
        if (entries == 0 || from > lastOffset) {
            return 0;
        }
        if (from <= firstOffset) {
            return entries;
        }
        return Math.min(entries, lastOffset - from + 1);
    }

    /** @return the first offset after this segment (the next segment's base is at least this) */
    long endOffset() {
        return lastOffset < 0 ? base : lastOffset + 1;
    }

    long globalEnd() {
        return globalStart + size;
    }

    /** @return true the first time a corrupt region at {@code position} is seen (report it once) */
    synchronized boolean firstReport(long position) {
        return reportedCorrupt.add(position);
    }

    @Override
    public String toString() {
        return file.getFileName().toString();
    }
}
