package dev.llmhub.core.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads frames of one segment file through a fixed window (the only buffer: its size bounds a
 * reader's memory whatever the backlog; a frame larger than the window is read into its own array).
 * Positional reads only, so it never moves a shared file position.
 */
final class FrameReader implements Closeable {
    static final int WINDOW = 256 * 1024;

    private final ByteBuffer window;
    private FileChannel channel;
    private long windowStart;
    private int windowLength;

    FrameReader(Path file, int windowBytes) throws IOException {
        this.window = ByteBuffer.allocate(windowBytes);
        open(file);
    }

    /** Reads another file from now on, with the same window. */
    void open(Path file) throws IOException {
        close();
        channel = FileChannel.open(file, StandardOpenOption.READ);
        windowStart = 0;
        windowLength = 0;
    }

    /**
     * @param position where a frame should start
     * @param limit    the end of the readable bytes
     * @return the frame there with its payload, or null when there is no valid frame (bad magic,
     *         length or CRC, or cut by {@code limit})
     */
    Frame frameAt(long position, long limit) throws IOException {
        return read(position, limit, true);
    }

    /** @return like {@link #frameAt}, checked the same way, without copying the payload (scans) */
    Frame headerAt(long position, long limit) throws IOException {
        return read(position, limit, false);
    }

    private Frame read(long position, long limit, boolean copy) throws IOException {
        if (position + Frame.HEADER > limit || !cover(position, Frame.HEADER, limit)) {
            return null;
        }
        int at = (int) (position - windowStart);
        if (window.getInt(at) != Frame.MAGIC) {
            return null;
        }
        int length = window.getInt(at + 4);
        if (length < 0 || length > Frame.MAX_PAYLOAD || position + Frame.HEADER + length > limit) {
            return null;
        }
        int expected = window.getInt(at + 8);
        long offset = window.getLong(at + 12);
        long timestamp = window.getLong(at + 20);
        CRC32C crc = new CRC32C();
        byte[] payload = null;
        if (Frame.HEADER + length <= window.capacity()) {
            if (!cover(position, Frame.HEADER + length, limit)) {
                return null;
            }
            at = (int) (position - windowStart);
            crc.update(window.array(), at + Frame.CRC_START, Frame.HEADER - Frame.CRC_START + length);
            if ((int) crc.getValue() != expected) {
                return null;
            }
            if (copy) {
                payload = Arrays.copyOfRange(window.array(), at + Frame.HEADER, at + Frame.HEADER + length);
            }
        } else {
            // Larger than the window: checked in window-sized pieces, copied only when valid.
            crc.update(window.array(), at + Frame.CRC_START, Frame.HEADER - Frame.CRC_START);
            long end = position + Frame.HEADER + length;
            for (long p = position + Frame.HEADER; p < end; ) {
                int n = (int) Math.min(window.capacity(), end - p);
                if (!cover(p, n, limit)) {
                    return null;
                }
                crc.update(window.array(), (int) (p - windowStart), n);
                p += n;
            }
            if ((int) crc.getValue() != expected) {
                return null;
            }
            if (copy) {
                payload = new byte[length];
                if (!readFully(ByteBuffer.wrap(payload), position + Frame.HEADER)) {
                    return null;
                }
            }
        }
        return new Frame(offset, timestamp, length, payload, position);
    }

    /**
     * Finds the next valid frame after a corrupt one.
     *
     * @param from      the corrupt frame's position (the search starts after it)
     * @param limit     the end of the readable bytes
     * @param minOffset a found frame must have a larger offset (offsets only grow)
     * @return the next valid frame, or null when there is none before {@code limit}
     */
    Frame resync(long from, long limit, long minOffset) throws IOException {
        byte first = (byte) (Frame.MAGIC >>> 24);
        for (long p = from + 1; p + Frame.HEADER <= limit; p++) {
            if (!cover(p, 1, limit)) {
                return null;
            }
            if (window.get((int) (p - windowStart)) == first) {
                Frame f = headerAt(p, limit);
                if (f != null && f.offset() > minOffset) {
                    return f;
                }
            }
        }
        return null;
    }

    /**
     * Counts the entries of a corrupt region by walking its frame headers (intact when only a payload
     * is damaged). Offset differences cannot count them: offsets that a failed write or a lost tail
     * never used would be counted as lost too.
     *
     * @return the frames in {@code [from, to)} with an offset of at least {@code minOffset}, or -1 when
     *         the headers do not lead exactly to {@code to}
     */
    long framesBetween(long from, long to, long minOffset) throws IOException {
        long count = 0;
        long p = from;
        while (p < to) {
            if (p + 20 > to || !cover(p, 20, to)) {
                return -1;
            }
            int at = (int) (p - windowStart);
            int length = window.getInt(at + 4);
            if (window.getInt(at) != Frame.MAGIC || length < 0 || length > Frame.MAX_PAYLOAD) {
                return -1;
            }
            if (window.getLong(at + 12) >= minOffset) {
                count++;
            }
            p += Frame.HEADER + (long) length;
        }
        return p == to ? count : -1;
    }

    /** What a torn tail held: how many frames started in it, and the largest offset readable in their headers. */
    record Torn(long entries, long maxOffset) {
    }

    /**
     * Walks what looks like frame headers (magic and a length) in a cut-off tail, without checking
     * CRCs: how many entries it held, for the log, and their offsets, so they are never reused.
     */
    Torn torn(long from, long end) throws IOException {
        long count = 0;
        long maxOffset = -1;
        long p = from;
        while (p + 8 <= end && cover(p, 8, end)) {
            int at = (int) (p - windowStart);
            int length = window.getInt(at + 4);
            if (window.getInt(at) != Frame.MAGIC || length < 0 || length > Frame.MAX_PAYLOAD) {
                break;
            }
            count++;
            if (p + 20 <= end && cover(p, 20, end)) {
                maxOffset = Math.max(maxOffset, window.getLong((int) (p - windowStart) + 12));
            }
            p += Frame.HEADER + (long) length;
        }
        return new Torn(Math.max(count, from < end ? 1 : 0), maxOffset);
    }

    /**
     * Makes the window hold {@code [position, position + length)}, reading no further than
     * {@code limit}: bytes past it may still be being written, and must not be kept as they are now.
     *
     * @return false when the file ends first
     */
    private boolean cover(long position, int length, long limit) throws IOException {
        if (position >= windowStart && position + length <= windowStart + windowLength) {
            return true;
        }
        window.clear();
        window.limit((int) Math.max(0, Math.min(window.capacity(), limit - position)));
        windowStart = position;
        windowLength = 0;
        while (window.hasRemaining()) {
            int n = channel.read(window, position + window.position());
            if (n < 0) {
                break;
            }
        }
        windowLength = window.position();
        return length <= windowLength;
    }

    private boolean readFully(ByteBuffer dst, long position) throws IOException {
        while (dst.hasRemaining()) {
            if (channel.read(dst, position + dst.position()) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
