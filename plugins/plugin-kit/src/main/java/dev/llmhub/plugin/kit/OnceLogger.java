package dev.llmhub.plugin.kit;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs a line at its level the first time a reason is seen and at DEBUG afterwards, so a server that
 * rejects every batch the same way yields one readable line, not one per batch. The proxy's metrics
 * count every occurrence. (The proxy's own lines use a per-interval throttle instead; this one is keyed
 * by reason, because a plugin's reasons are few and each deserves its line once.)
 */
public final class OnceLogger {
    /** Bounds memory when reasons are unexpectedly varied. */
    private static final int MAX_REASONS = 1000;

    private final Logger logger;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** @param logger where lines go (the plugin's {@code PluginContext.logger()}) */
    public OnceLogger(Logger logger) {
        this.logger = logger;
    }

    /**
     * @param key     what makes two messages the same reason
     * @param message the line; never contains a secret
     */
    public void warn(String key, String message) {
        log(Level.WARNING, key, message);
    }

    /**
     * @param level   the level of the first line for this reason (later ones are DEBUG)
     * @param key     what makes two messages the same reason
     * @param message the line; never contains a secret
     */
    public void log(Level level, String key, String message) {
        boolean first = seen.size() < MAX_REASONS ? seen.add(key) : !seen.contains(key);
        logger.log(first ? level : Level.DEBUG, message);
    }

    /** Forgets a reason, so that it is logged again if it comes back (e.g. the server came back, then left). */
    public void forget(String key) {
        seen.remove(key);
    }

    /** Forgets every reason: things work again, so the next failure is worth a warning. */
    public void clear() {
        seen.clear();
    }
}
