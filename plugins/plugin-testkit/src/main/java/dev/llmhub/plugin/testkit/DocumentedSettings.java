package dev.llmhub.plugin.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The defaults a plugin's documentation promises, read from the page itself, so a test checks the
 * code against the docs instead of against a second copy of the code's constants.
 *
 * <p>The page has a Markdown table whose header has a setting column first ({@code setting},
 * {@code Setting} or {@code key}) and a {@code Default} column; a row counts when its first cell is
 * one {@code `key`} and its default cell is one {@code `literal`} ("—", "none", "required" and
 * prose are skipped: they are no value the setting can be given).
 */
public final class DocumentedSettings {
    private static final Pattern ONE_LITERAL = Pattern.compile("`([^`]+)`");

    private DocumentedSettings() {
    }

    /**
     * @param page a Markdown page, e.g. {@code ../../docs/destinations/file.md}
     * @return setting name to its documented default, as written, in page order
     * @throws AssertionError when the page has no settings table with a Default column
     */
    public static Map<String, String> defaults(Path page) {
        List<String> lines;
        try {
            lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            List<String> header = cells(lines.get(i));
            int defaultColumn = header.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList().indexOf("default");
            if (header.isEmpty() || defaultColumn < 1 || !List.of("setting", "key").contains(header.get(0).toLowerCase(Locale.ROOT))) {
                continue;
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (int j = i + 2; j < lines.size() && lines.get(j).startsWith("|"); j++) {
                List<String> row = cells(lines.get(j));
                if (row.size() <= defaultColumn) {
                    continue;
                }
                Matcher key = ONE_LITERAL.matcher(row.get(0));
                Matcher value = ONE_LITERAL.matcher(row.get(defaultColumn));
                if (key.matches() && value.matches()) {
                    out.put(key.group(1), value.group(1));
                }
            }
            return out;
        }
        throw new AssertionError(page + " has no settings table with a Default column");
    }

    /**
     * Checks that each documented default is what the code does: settings with the documented
     * value written out must read exactly like settings that leave it out. Every mismatch is in the
     * one {@link AssertionError}.
     *
     * @param page     the plugin's documentation page
     * @param required settings every read needs (e.g. a required {@code url}), never a documented key
     * @param read     turns settings into the plugin's settings value (a record, compared with {@code equals})
     * @return the documented defaults that were checked, so a test can assert which ones the page has
     */
    public static Map<String, String> assertCodeFollows(Path page, Map<String, ?> required,
                                                        Function<Map<String, Object>, ?> read) {
        Map<String, String> documented = defaults(page);
        Object byDefault = read.apply(new LinkedHashMap<>(required));
        List<String> problems = new ArrayList<>();
        documented.forEach((key, value) -> {
            Map<String, Object> explicit = new LinkedHashMap<>(required);
            explicit.put(key, value);
            Object written = read.apply(explicit);
            if (!written.equals(byDefault)) {
                problems.add(key + ": the page says the default is `" + value + "`, but setting it changes the result:\n"
                        + "    left out: " + byDefault + "\n    `" + value + "`:  " + written);
            }
        });
        if (!problems.isEmpty()) {
            throw new AssertionError(page + ":\n  " + String.join("\n  ", problems));
        }
        return documented;
    }

    private static List<String> cells(String line) {
        String t = line.strip();
        if (!t.startsWith("|") || !t.endsWith("|") || t.length() < 2) {
            return List.of();
        }
        return Arrays.stream(t.substring(1, t.length() - 1).split("\\|", -1)).map(String::strip).toList();
    }
}
