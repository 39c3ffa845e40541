package dev.llmhub.core.router;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** What {@link RedisLimits} logged between {@link #start()} and {@link #stop()}, for tests of what it said and how often. */
final class RedisLimitsLog extends Handler {
    private final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
    private final Logger logger = Logger.getLogger(RedisLimits.class.getName());

    void start() {
        logger.addHandler(this);
    }

    void stop() {
        logger.removeHandler(this);
    }

    /** @return the messages logged at {@code level}, formatted */
    List<String> messages(Level level) {
        synchronized (logged) {
            return logged.stream().filter(r -> r.getLevel() == level).map(RedisLimitsLog::format).toList();
        }
    }

    /** @return every message logged, formatted, after its level */
    List<String> messages() {
        synchronized (logged) {
            return logged.stream().map(r -> r.getLevel() + " " + format(r)).toList();
        }
    }

    private static String format(LogRecord r) {
        return new SimpleFormatter().formatMessage(r);
    }

    @Override
    public void publish(LogRecord r) {
        logged.add(r);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
