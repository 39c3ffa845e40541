package dev.llmhub.core.hub;

import dev.llmhub.core.watch.SettlingWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Watches the config file and reloads when its content changes. Editors save in several ways (write
 * in place, write a temp file and rename it over, delete and create), so the watcher looks at the
 * file's directory, waits until the file's own events stop for {@link #QUIET} (the directory may hold
 * files written all the time: a file destination, the data directory), and reloads only when the
 * bytes differ from the last ones seen.
 */
final class ConfigWatcher implements AutoCloseable {
    static final Duration QUIET = Duration.ofMillis(300);

    private final SettlingWatcher watcher;
    private final Path file;
    private volatile byte[] lastDigest;

    ConfigWatcher(Path file, Runnable onChange) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.lastDigest = digest();
        String name = this.file.getFileName().toString();
        this.watcher = new SettlingWatcher(this.file.getParent(), p -> p.getFileName().toString().equals(name), QUIET,
                "config", () -> {
                    if (changed()) {
                        onChange.run();
                    }
                });
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
        watcher.close();
    }
}
