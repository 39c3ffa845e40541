package dev.llmhub.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A segment's index file, {@code <base>.index}: its size, entry count, first/last offset and time,
 * and its sparse index, checksummed. Written when the segment is sealed and, for the active segment,
 * at a clean close: that is the clean-close marker. At open a segment whose index matches its file
 * size is trusted without reading it (its frames are still checked when read); any other segment was
 * written since the last clean close and is scanned.
 */
final class IndexFile {
    private static final int MAGIC = 0x4C484931; // "LHI1"
    private static final int FIXED = 4 + 8 * 7 + 4;

    private IndexFile() {
    }

    static void write(Segment s, boolean fsync) throws IOException {
        long[] points = s.index.snapshot();
        ByteBuffer b = ByteBuffer.allocate(FIXED + points.length * 8 + 4);
        b.putInt(MAGIC).putLong(s.base).putLong(s.size).putLong(s.entries).putLong(s.firstOffset)
                .putLong(s.lastOffset).putLong(s.firstTimestamp).putLong(s.lastTimestamp).putInt(points.length / 3);
        for (long v : points) {
            b.putLong(v);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        DataDir.writeAtomically(Segment.indexFile(s.file), b.flip(), fsync);
    }

    /**
     * Fills {@code s} from its index file.
     *
     * @return true when the index exists, is intact and describes the file as it is now
     */
    static boolean load(Segment s, long fileSize) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Segment.indexFile(s.file));
        } catch (NoSuchFileException e) {
            return false;
        }
        if (bytes.length < FIXED + 4) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if (b.getInt(bytes.length - 4) != (int) crc.getValue() || b.getInt() != MAGIC || b.getLong() != s.base) {
            return false;
        }
        long size = b.getLong();
        if (size != fileSize) {
            return false;
        }
        long entries = b.getLong();
        long firstOffset = b.getLong();
        long lastOffset = b.getLong();
        long firstTimestamp = b.getLong();
        long lastTimestamp = b.getLong();
        int points = b.getInt();
        if (points < 0 || bytes.length != FIXED + points * 24L + 4) {
            return false;
        }
        for (int i = 0; i < points; i++) {
            s.index.add(b.getLong(), b.getLong(), b.getLong());
        }
        s.size = size;
        s.entries = entries;
        s.firstOffset = firstOffset;
        s.lastOffset = lastOffset;
        s.firstTimestamp = firstTimestamp;
        s.lastTimestamp = lastTimestamp;
        return true;
    }

    static void delete(Segment s) throws IOException {
        Files.deleteIfExists(Segment.indexFile(s.file));
    }
}
