package dev.llmhub.server;

import java.lang.System.Logger.Level;
import sun.misc.Signal;

/**
 * Process signals: {@code SIGHUP} reloads the config (as {@code POST /admin/config/reload} does);
 * {@code SIGTERM} stops the proxy in order — no new requests, lanes stopped and their cursors saved,
 * each saying what stays in the journal — and exits 0 (the JVM's own handler would exit 143).
 */
final class Signals {
    private static final System.Logger LOG = System.getLogger(Signals.class.getName());

    private Signals() {
    }

    static void install(Main.Running running) {
        handle("HUP", () -> running.hub().reload("SIGHUP"));
        handle("TERM", () -> {
            LOG.log(Level.INFO, "SIGTERM: stopping");
            running.stop();
            System.exit(0);
        });
    }

    private static void handle(String name, Runnable action) {
        try {
            // The handler runs on a JVM signal thread: do the work on our own so it can take its time. Not a
            // daemon: once the server's threads end, a daemon would let the JVM exit mid-stop.
            Signal.handle(new Signal(name), s -> Thread.ofPlatform().daemon(false).name("llmhub-signal-" + name)
                    .start(action));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, "signal {0} not available here: {1}", name, e.getMessage());
        }
    }
}
