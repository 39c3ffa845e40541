package dev.llmhub.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {

    @Test
    void anEditIsSeenWhileAnotherFileInTheDirectoryIsWrittenAllTheTime(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "a: 1\n");
        Path busy = dir.resolve("calls.jsonl");
        Semaphore reloads = new Semaphore(0);
        AtomicBoolean writing = new AtomicBoolean(true);
        // A file destination beside the config: an event every few milliseconds, never a quiet moment.
        Thread writer = Thread.ofPlatform().start(() -> {
            while (writing.get()) {
                try {
                    Files.writeString(busy, "{}\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    Thread.sleep(5);
                } catch (Exception e) {
                    return;
                }
            }
        });
        try (ConfigWatcher watcher = new ConfigWatcher(config, reloads::release)) {
            Path tmp = Files.writeString(dir.resolve("config.yaml.tmp"), "a: 2\n");
            Files.move(tmp, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(reloads.tryAcquire(30, TimeUnit.SECONDS), "the renamed-over config is reloaded");

            Files.writeString(config, "a: 2\n"); // the same bytes again: no reload
            Files.writeString(config, "a: 3\n");
            assertTrue(reloads.tryAcquire(30, TimeUnit.SECONDS), "the config written in place is reloaded");
            assertEquals(0, reloads.availablePermits(), "one reload per change, none for the unchanged write");
        } finally {
            writing.set(false);
            writer.join();
        }
    }
}
