package dev.llmhub.plugin.file;

import java.io.ByteArrayOutputStream;
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
 */
final class RotatingFile {
    private final Path path;
    private final long maxSize;
    private final int maxFiles;
    private final boolean fsync;
    private final Runnable onRotate;

    RotatingFile(Path path, long maxSize, int maxFiles, boolean fsync, Runnable onRotate) {
        this.path = path;
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        this.fsync = fsync;
        this.onRotate = onRotate;
    }

    /**
     * Appends the lines, in order. Synchronized because the core may run several exports of this
     * destination at once, and appends and renames of one file must not interleave.
     */
    synchronized void append(List<byte[]> lines) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        FileChannel channel = open();
        try {
            long size = channel.size();
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            for (byte[] line : lines) {
                if (size > 0 && size + line.length > maxSize) {
                    write(channel, pending);
                    channel.close();
                    rotate();
                    channel = open();
                    size = 0;
                }
                pending.write(line);
                size += line.length;
            }
            write(channel, pending);
        } finally {
            channel.close();
        }
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void write(FileChannel channel, ByteArrayOutputStream pending) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(pending.toByteArray());
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        pending.reset();
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
