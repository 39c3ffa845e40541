package dev.llmhub.core.plugin;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the plugins directory and calls back once things settle: after a change, it waits until
 * no event came for {@link #QUIET_MILLIS} (a zip being copied fires many), then runs the reload.
 */
final class DirectoryWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DirectoryWatcher.class.getName());
    static final long QUIET_MILLIS = 400;

    private final WatchService service;
    private final Thread thread;

    DirectoryWatcher(Path dir, Runnable onChange) throws IOException {
        service = FileSystems.getDefault().newWatchService();
        dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                StandardWatchEventKinds.ENTRY_MODIFY);
        thread = Thread.ofPlatform().daemon().name("llmhub-plugin-watcher").start(() -> {
            try {
                while (true) {
                    WatchKey key = service.take();
                    key.pollEvents();
                    key.reset();
                    WatchKey more;
                    while ((more = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                        more.pollEvents();
                        more.reset();
                    }
                    try {
                        onChange.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "plugin reload after a directory change failed: {0}", e.getMessage());
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closed: stop watching
            }
        });
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
