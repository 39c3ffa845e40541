package dev.llmhub.plugin.file;

import dev.llmhub.api.PluginConfigException;
import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file destination's settings, checked once at start.
 *
 * @param path     file to append to (relative paths are relative to the proxy's working directory)
 * @param maxSize  size in bytes at which the file is rotated
 * @param maxFiles rotated files kept ({@code path.1} newest … {@code path.<max_files>} oldest)
 * @param fsync    force each batch to disk before reporting success
 */
record FileSettings(Path path, long maxSize, int maxFiles, boolean fsync) {
    static final String DEFAULT_PATH = "logs/llmhub-calls.jsonl";
    static final long DEFAULT_MAX_SIZE = 100L * 1024 * 1024;
    static final int DEFAULT_MAX_FILES = 5;
    static final int MAX_MAX_FILES = 1000;

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    static FileSettings from(PluginContext context) {
        PluginSettings s = context.settings();
        String prefix = "callback_settings." + context.name() + ".";
        return new FileSettings(
                path(prefix + "path", s.string("path").orElse(DEFAULT_PATH)),
                s.has("max_size") ? size(prefix + "max_size", s.asMap().get("max_size")) : DEFAULT_MAX_SIZE,
                maxFiles(prefix + "max_files", s.number("max_files").orElse((long) DEFAULT_MAX_FILES)),
                s.bool("fsync").orElse(false));
    }

    private static Path path(String key, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new PluginConfigException(key + ": not a valid file path: " + e.getReason());
        }
    }

    /** A size: a number of bytes, or a number with B, KB, MB or GB (binary multiples: 1 KB = 1024 B). */
    static long size(String key, Object value) {
        Matcher m = SIZE.matcher(value.toString().trim().toLowerCase(Locale.ROOT));
        if (!(value instanceof Number || value instanceof String) || !m.matches()) {
            throw new PluginConfigException(key + ": expected a size such as 100MB, 512KB or a number of bytes, got '" + value + "'");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        long multiplier = switch (unit.charAt(0)) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        double bytes = Double.parseDouble(m.group(1)) * multiplier;
        if (bytes < 1 || bytes > Long.MAX_VALUE / 2) {
            throw new PluginConfigException(key + ": must be at least 1 byte, got '" + value + "'");
        }
        return (long) bytes;
    }

    private static int maxFiles(String key, long value) {
        if (value < 1 || value > MAX_MAX_FILES) {
            throw new PluginConfigException(key + ": expected a whole number from 1 to " + MAX_MAX_FILES + ", got " + value);
        }
        return (int) value;
    }
}
