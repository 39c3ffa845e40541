package dev.llmhub.core.journal;

import java.util.logging.Level;
import java.util.logging.Logger;

/** A WARN at most once per interval, with the count of events since the last one. */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private long lastNanos;
    private long pending;
    private boolean logged;

    RateLimitedLog(Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /**
     * @param count   events now
     * @param pattern message with {0} for the count since the last line and {1}... for the rest
     */
    synchronized void warn(long count, String pattern, Object... rest) {
        pending += count;
        long now = System.nanoTime();
        if (logged && now - lastNanos < intervalNanos) {
            return;
        }
        Object[] params = new Object[rest.length + 1];
        params[0] = pending;
        System.arraycopy(rest, 0, params, 1, rest.length);
        log.log(Level.WARNING, pattern, params);
        pending = 0;
        lastNanos = now;
        logged = true;
    }
}
