package dev.llmhub.core.watch;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Watches a directory and calls back once things settle: after an event on an entry that concerns it,
 * it waits until no such event came for the quiet time (a zip being copied, an editor's save fire
 * several), then runs the callback on its own daemon thread. A failing callback is logged and the
 * watching goes on; an overflow (events lost) always counts as a change.
 */
public final class SettlingWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SettlingWatcher.class.getName());

    private final WatchService service;
    private final Thread thread;
    private final Predicate<Path> concerns;
    private final long quietNanos;

    /**
     * Starts watching.
     *
     * @param dir       the directory whose entries are created, modified or deleted
     * @param concerns  which entries count, by their name in {@code dir}; others are ignored (the
     *                  directory may hold files written all the time)
     * @param quiet     how long the entries must stay unchanged before the callback
     * @param subject   what reloads, for the thread's name and the log ({@code config}, {@code plugin})
     * @param onSettled the reload
     * @throws IOException when the directory cannot be watched
     */
    public SettlingWatcher(Path dir, Predicate<Path> concerns, Duration quiet, String subject, Runnable onSettled)
            throws IOException {
        this.concerns = Objects.requireNonNull(concerns, "concerns is null");
        this.quietNanos = quiet.toNanos();
        this.service = FileSystems.getDefault().newWatchService();
        dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = Thread.ofPlatform().daemon().name("llmhub-" + subject + "-watcher").start(() -> {
            try {
                while (true) {
                    if (!concerns(service.take())) {
                        continue;
                    }
                    awaitQuiet();
                    try {
                        onSettled.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "{0} reload after a change in {1} failed: {2}", subject, dir,
                                e.getMessage());
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closed: stop watching
            }
        });
    }

    /** Waits until no event that concerns the watcher came for the quiet time. */
    private void awaitQuiet() throws InterruptedException {
        long quietAt = System.nanoTime() + quietNanos;
        long wait;
        while ((wait = quietAt - System.nanoTime()) > 0) {
            WatchKey more = service.poll(wait, TimeUnit.NANOSECONDS);
            if (more != null && concerns(more)) {
                quietAt = System.nanoTime() + quietNanos;
            }
        }
    }

    private boolean concerns(WatchKey key) {
        boolean ours = false;
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.kind() == StandardWatchEventKinds.OVERFLOW || e.context() instanceof Path p && concerns.test(p)) {
                ours = true;
            }
        }
        key.reset();
        return ours;
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
