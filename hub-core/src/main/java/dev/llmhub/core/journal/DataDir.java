package dev.llmhub.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The journal's data directory: owner-only files (0600) and directories (0700) where POSIX
 * permissions exist, the lock that keeps a second proxy out, and small files replaced atomically.
 */
final class DataDir implements AutoCloseable {
    static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    final Path root;
    final Path segments;
    final Path cursors;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDir(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.segments = root.resolve("segments");
        this.cursors = root.resolve("cursors");
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directories as needed and takes the lock. */
    static DataDir open(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            createDirectory(dir);
            createDirectory(dir.resolve("segments"));
            createDirectory(dir.resolve("cursors"));
            Path lockFile = dir.resolve(".lock");
            channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), fileAttributes());
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new JournalOpenException("the journal directory " + dir + " is in use by another llmhub process "
                        + "(it holds " + lockFile + "); give each proxy its own data directory (--data-dir)", null);
            }
            return new DataDir(dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new JournalOpenException("cannot open the journal directory " + dir + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
            Files.setPosixFilePermissions(dir, DIR); // the umask may have narrowed or widened the request
        } else {
            Files.createDirectories(dir);
        }
    }

    static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /**
     * Replaces a small file atomically: writes a temporary file, optionally fsyncs it, renames it over
     * the target, optionally fsyncs the directory. A crash leaves the old or the new content.
     */
    static void writeAtomically(Path target, ByteBuffer content, boolean fsync) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), fileAttributes())) {
            while (content.hasRemaining()) {
                ch.write(content);
            }
            if (fsync) {
                ch.force(true);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (fsync) {
            syncDirectory(target.getParent());
        }
    }

    /** Makes a directory's entries (created, renamed, deleted files) durable, where the OS allows it. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory (Windows); its rename is durable enough there.
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel close below releases it too
        }
        closeQuietly(lockChannel);
    }
}
