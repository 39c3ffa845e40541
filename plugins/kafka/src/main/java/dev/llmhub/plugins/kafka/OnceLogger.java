package dev.llmhub.plugins.kafka;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs a warning the first time a reason is seen and at DEBUG afterwards, so a broker that rejects
 * every batch the same way yields one readable line, not one per batch. The core's metrics count
 * every occurrence.
 */
final class OnceLogger {
    /** Bounds memory when reasons are unexpectedly varied. */
    private static final int MAX_REASONS = 1000;

    private final System.Logger logger;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    OnceLogger(System.Logger logger) {
        this.logger = logger;
    }

    /**
     * @param key     what makes two messages the same reason
     * @param message the line; never contains a secret
     */
    void warn(String key, String message) {
        boolean first = seen.size() < MAX_REASONS ? seen.add(key) : !seen.contains(key);
        logger.log(first ? Level.WARNING : Level.DEBUG, message);
    }

    /** Forgets every reason: things work again, so the next failure is worth a warning. */
    void clear() {
        seen.clear();
    }
}
