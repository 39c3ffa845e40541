package dev.llmhub.plugin.testkit;

import java.text.MessageFormat;
import java.util.List;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A {@link System.Logger} that keeps every message, so a test can assert what a plugin logged —
 * and, as important, that no secret ever appears in it.
 */
public final class RecordingLogger implements System.Logger {

    /**
     * One logged message.
     *
     * @param level   its level
     * @param message the formatted message, with the throwable's class and message appended
     */
    public record Entry(Level level, String message) {
    }

    private final String name;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** @param name the logger's name */
    public RecordingLogger(String name) {
        this.name = Objects.requireNonNull(name, "name is null");
    }

    /** @return every message so far, oldest first */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** @param level a level @return the messages logged at exactly that level */
    public List<String> messages(Level level) {
        return entries.stream().filter(e -> e.level() == level).map(Entry::message).toList();
    }

    /**
     * Every message as one line starting with its level, e.g. {@code WARNING cannot reach host}, for
     * assertions that look at level and text together ({@code l.startsWith("WARNING") && ...}) and
     * for failure messages that show the whole log.
     *
     * @return every message so far as {@code "LEVEL message"}, oldest first
     */
    public List<String> lines() {
        return entries.stream().map(e -> e.level() + " " + e.message()).toList();
    }

    /** @param text what to look for @return whether any message contains it */
    public boolean contains(String text) {
        return entries.stream().anyMatch(e -> e.message().contains(text));
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return level != Level.OFF;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        String text = Objects.toString(msg);
        entries.add(new Entry(level, thrown == null ? text : text + " (" + thrown + ")"));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        String text = params == null || params.length == 0 ? Objects.toString(format) : MessageFormat.format(format, params);
        entries.add(new Entry(level, text));
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
        entries.add(new Entry(level, msgSupplier.get()));
    }
}
