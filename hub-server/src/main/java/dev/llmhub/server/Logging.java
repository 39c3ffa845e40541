package dev.llmhub.server;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One-line JUL logging on stderr; {@code --debug} and {@code --detailed_debug} lower the levels. */
final class Logging {
    // JUL keeps loggers weakly: without these references the levels set below vanish with the next GC
    private static final Logger LLMHUB = Logger.getLogger("dev.llmhub");
    private static final Logger HELIDON = Logger.getLogger("io.helidon");
    private static final Logger LETTUCE = Logger.getLogger("io.lettuce");
    private static final Logger NETTY = Logger.getLogger("io.netty");
    private static final Logger KAFKA = Logger.getLogger("org.apache.kafka");

    private Logging() {
    }

    static void configure(boolean debug, boolean detailed) {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return; // the user's own logging.properties wins
        }
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter(new OneLine());
        root.addHandler(handler);
        root.setLevel(detailed ? Level.FINEST : Level.INFO);
        LLMHUB.setLevel(detailed ? Level.FINEST : debug ? Level.FINE : Level.INFO);
        // Helidon's feature list and per-connection chatter are noise at INFO
        HELIDON.setLevel(detailed ? Level.FINEST : Level.WARNING);
        // the Redis client's connection chatter: the router reports Redis' state itself, once per change
        LETTUCE.setLevel(detailed ? Level.FINEST : Level.WARNING);
        NETTY.setLevel(detailed ? Level.FINEST : Level.WARNING);
        // Kafka's clients (the Kafka journal) warn on every reconnect while a broker is down and dump their
        // settings at INFO; the journal says what matters itself, throttled
        KAFKA.setLevel(detailed ? Level.FINEST : debug ? Level.WARNING : Level.SEVERE);
    }

    private static final class OneLine extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

        @Override
        public String format(LogRecord r) {
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            String shortName = name.substring(name.lastIndexOf('.') + 1);
            StringBuilder sb = new StringBuilder()
                    .append(LocalTime.now().format(TIME)).append(' ')
                    .append(r.getLevel().getName()).append(' ')
                    .append(shortName).append(": ")
                    .append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null && (LLMHUB.isLoggable(Level.FINE)
                    || r.getLevel().intValue() >= Level.SEVERE.intValue())) {
                java.io.StringWriter sw = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
                sb.append(sw);
            }
            return sb.toString();
        }
    }
}
