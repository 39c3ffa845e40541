package dev.llmhub.core.hub;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Watches the config file and reloads when its content changes. Editors save in several ways (write
 * in place, write a temp file and rename it over, delete and create), so the watcher looks at the
 * file's directory, waits until events stop for {@link #QUIET_MILLIS}, and reloads only when the
 * bytes differ from the last ones seen.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConfigWatcher.class.getName());
    static final long QUIET_MILLIS = 300;

    private final WatchService service;
    private final Thread thread;
    private final Path file;
    private volatile byte[] lastDigest;

    ConfigWatcher(Path file, Runnable onChange) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.lastDigest = digest();
        this.service = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = Thread.ofPlatform().daemon().name("llmhub-config-watcher").start(() -> {
            try {
                while (true) {
                    if (!concernsFile(service.take())) {
                        continue;
                    }
                    awaitQuiet();
                    if (changed()) {
                        try {
                            onChange.run();
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "config reload after a file change failed: {0}", e.getMessage());
                        }
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closed: stop watching
            }
        });
    }

    /**
     * Waits until the config file has had no event for {@link #QUIET_MILLIS}. Only the file's own events
     * count: the directory may hold files written all the time (a file destination, the data directory).
     */
    private void awaitQuiet() throws InterruptedException {
        long quietAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
        long wait;
        while ((wait = quietAt - System.nanoTime()) > 0) {
            WatchKey more = service.poll(wait, TimeUnit.NANOSECONDS);
            if (more != null && concernsFile(more)) {
                quietAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
            }
        }
    }

    private boolean concernsFile(WatchKey key) {
        boolean ours = false;
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.context() instanceof Path p && p.getFileName().toString().equals(file.getFileName().toString())) {
                ours = true;
            } else if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
                ours = true;
            }
        }
        key.reset();
        return ours;
    }

    private boolean changed() {
        byte[] d = digest();
        if (d == null || Arrays.equals(d, lastDigest)) {
            return false; // gone for a moment (an editor's rename) or touched without a change
        }
        lastDigest = d;
        return true;
    }

    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tells the watcher the running config came from these bytes (after a reload it did not start). */
    void seen() {
        byte[] d = digest();
        if (d != null) {
            lastDigest = d;
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // nothing left to release
        }
        thread.interrupt();
    }
}
