package dev.llmhub.core.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test access to segment files: where each frame is, and ways to damage them. */
final class SegmentFiles {
    private SegmentFiles() {
    }

    /** A frame as laid out on disk. */
    record Framed(Path file, long offset, long position, int size) {
        long end() {
            return position + size;
        }
    }

    static List<Path> segments(Path dataDir) throws IOException {
        try (Stream<Path> s = Files.list(dataDir.resolve("segments"))) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    /** Walks the frames of an intact file by their lengths. */
    static List<Framed> frames(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        List<Framed> out = new ArrayList<>();
        int p = 0;
        while (p + Frame.HEADER <= b.limit() && b.getInt(p) == Frame.MAGIC) {
            int length = b.getInt(p + 4);
            out.add(new Framed(file, b.getLong(p + 12), p, Frame.HEADER + length));
            p += Frame.HEADER + length;
        }
        return out;
    }

    static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0x5A);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }
}
