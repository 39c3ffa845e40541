package dev.llmhub.core.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One entry as stored in a segment file:
 * {@code magic(4) length(4) crc32c(4) offset(8) timestamp(8) payload(length)}, big-endian. The CRC
 * covers offset, timestamp and payload (bytes 12 to the end, contiguous); a wrong length shows as a
 * wrong CRC. The magic starts with {@code 0xFF}, a byte that never occurs in UTF-8, so a JSON payload
 * can never look like the start of a frame when a reader resynchronizes after a corrupt region.
 *
 * @param offset    the entry's offset
 * @param timestamp when it was appended (epoch milliseconds)
 * @param length    the encoded value's size
 * @param payload   the encoded value (null when only the frame was checked)
 * @param position  where the frame starts in its segment file
 */
record Frame(long offset, long timestamp, int length, byte[] payload, long position) {
    static final int MAGIC = 0xFF4C484A; // 0xFF 'L' 'H' 'J'
    static final int HEADER = 28;
    static final int CRC_START = 12;
    /** Larger entries fail their append: a record this big is a bug upstream, not data to keep. */
    static final int MAX_PAYLOAD = 64 << 20;

    /** @return the frame's size on disk */
    int size() {
        return HEADER + length;
    }

    /** @return the position right after this frame */
    long end() {
        return position + size();
    }

    /** @param payloadLength an encoded size @return the frame's size on disk */
    static int size(int payloadLength) {
        return HEADER + payloadLength;
    }

    /** Writes a whole frame at {@code dst}'s position (which must have room for it). */
    static void put(ByteBuffer dst, long offset, long timestamp, byte[] payload) {
        int start = dst.position();
        dst.putInt(MAGIC).putInt(payload.length).putInt(0).putLong(offset).putLong(timestamp).put(payload);
        ByteBuffer covered = dst.duplicate().position(start + CRC_START).limit(dst.position());
        CRC32C crc = new CRC32C();
        crc.update(covered);
        dst.putInt(start + 8, (int) crc.getValue());
    }

    /** @return a header for a payload written separately (frames larger than the write buffer) */
    static ByteBuffer header(long offset, long timestamp, byte[] payload) {
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        h.putInt(MAGIC).putInt(payload.length).putInt(0).putLong(offset).putLong(timestamp);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), CRC_START, HEADER - CRC_START);
        crc.update(payload);
        h.putInt(8, (int) crc.getValue());
        return h.flip();
    }
}
