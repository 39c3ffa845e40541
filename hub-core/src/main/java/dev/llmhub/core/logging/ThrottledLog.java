package dev.llmhub.core.logging;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A log line that repeats at most once per interval, saying how many were held back since the last
 * one: a destination failing on every batch must be visible at the default level without flooding
 * the log. Thread-safe and allocation-free when a line is suppressed.
 */
public final class ThrottledLog {
    private final Logger logger;
    private final long everyNanos;
    private final AtomicLong last;
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param logger where lines go
     * @param every  the least time between two lines
     */
    public ThrottledLog(Logger logger, Duration every) {
        this.logger = logger;
        this.everyNanos = every.toNanos();
        this.last = new AtomicLong(System.nanoTime() - everyNanos);
    }

    /**
     * Logs {@code message}, unless a line went out less than the interval ago.
     *
     * @param level   the level
     * @param message the line; called only when it is logged, with the number of lines held back
     *                since the previous one
     * @return whether the line was logged
     */
    public boolean log(Level level, LongFunction<String> message) {
        long now = System.nanoTime();
        long prev = last.get();
        if (now - prev >= everyNanos && last.compareAndSet(prev, now)) {
            long held = suppressed.getAndSet(0);
            logger.log(level, message.apply(held));
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    /**
     * @param held lines held back
     * @return {@code " (N similar line(s) held back)"}, or nothing when none were
     */
    public static String heldBack(long held) {
        return held == 0 ? "" : " (" + held + " similar line(s) held back)";
    }
}
