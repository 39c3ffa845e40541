package dev.llmhub.plugin.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends lines to a file that is rotated by size: before a line would take the file past
 * {@code maxSize}, {@code path} becomes {@code path.1}, {@code path.1} becomes {@code path.2}, and so
 * on; the file beyond {@code maxFiles} is deleted. A line is never split across files, so a single
 * line longer than {@code maxSize} gets a file of its own.
 *
 * <p>Lines go out through one reused buffer of {@value #BUFFER_BYTES} bytes, each followed by a newline:
 * a batch used to be gathered in a growing array, which at 512 records of ~2 KB made several arrays of
 * a megabyte per batch (G1 "humongous" objects, 20 of them per young collection under load).
 */
final class RotatingFile {
    private static final int BUFFER_BYTES = 256 * 1024;
    private static final byte[] NEWLINE = {'\n'};

    private final Path path;
    private final long maxSize;
    private final int maxFiles;
    private final boolean fsync;
    private final Runnable onRotate;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);

    RotatingFile(Path path, long maxSize, int maxFiles, boolean fsync, Runnable onRotate) {
        this.path = path;
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        this.fsync = fsync;
        this.onRotate = onRotate;
    }

    /**
     * Appends the lines, each followed by a newline, in order. Synchronized because the core may run
     * several exports of this destination at once, and appends and renames of one file must not
     * interleave (and the buffer is shared).
     */
    synchronized void append(List<byte[]> lines) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        FileChannel channel = open();
        buffer.clear();
        try {
            long size = channel.size();
            for (byte[] line : lines) {
                long needed = line.length + 1L;
                if (size > 0 && size + needed > maxSize) {
                    flush(channel);
                    sync(channel);
                    channel.close();
                    rotate();
                    channel = open();
                    size = 0;
                }
                put(channel, line);
                size += needed;
            }
            flush(channel);
            sync(channel);
        } finally {
            channel.close();
        }
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void put(FileChannel channel, byte[] line) throws IOException {
        if (buffer.remaining() <= line.length) {
            flush(channel);
        }
        if (buffer.remaining() <= line.length) { // longer than the buffer: straight from the array
            writeFully(channel, ByteBuffer.wrap(line));
            writeFully(channel, ByteBuffer.wrap(NEWLINE));
            return;
        }
        buffer.put(line).put((byte) '\n');
    }

    private void flush(FileChannel channel) throws IOException {
        buffer.flip();
        writeFully(channel, buffer);
        buffer.clear();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    private void sync(FileChannel channel) throws IOException {
        if (fsync) {
            channel.force(false);
        }
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(numbered(maxFiles));
        for (int i = maxFiles - 1; i >= 1; i--) {
            if (Files.exists(numbered(i))) {
                Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        onRotate.run();
    }

    private Path numbered(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }
}
