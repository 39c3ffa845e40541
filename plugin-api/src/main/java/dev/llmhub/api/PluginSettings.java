package dev.llmhub.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A plugin's own settings ({@code callback_settings.<name>}), with typed getters that fail with a
 * {@link PluginConfigException} naming the key when a value has the wrong type.
 */
public final class PluginSettings {
    private final String prefix;
    private final Map<String, Object> values;

    /**
     * @param prefix where the settings live in the config, for messages, e.g. {@code callback_settings.otel}
     * @param values the settings, JSON-like values
     */
    public PluginSettings(String prefix, Map<String, ?> values) {
        this.prefix = Objects.requireNonNull(prefix, "prefix is null");
        this.values = JsonTrees.freezeMap(values, "values");
    }

    /** @return every setting, unmodifiable */
    public Map<String, Object> asMap() {
        return values;
    }

    /** @param key setting name @return whether the setting is present and not null */
    public boolean has(String key) {
        return value(key) != null;
    }

    private Object value(String key) {
        return values.get(Objects.requireNonNull(key, "key is null"));
    }

    /** @param key setting name @return its text (numbers and booleans as text), when set */
    public Optional<String> string(String key) {
        Object v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            String s = v.toString();
            return s.isBlank() ? Optional.empty() : Optional.of(s);
        }
        throw wrongType(key, "a string", v);
    }

    /** @param key setting name @return its whole-number value, when set */
    public Optional<Long> number(String key) {
        Object v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return Optional.of(n.longValue());
        }
        if (v instanceof String s) {
            try {
                return Optional.of(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw wrongType(key, "a whole number", v);
    }

    /** @param key setting name @return its boolean value ({@code true/false/yes/no}), when set */
    public Optional<Boolean> bool(String key) {
        Object v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Boolean b) {
            return Optional.of(b);
        }
        if (v instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> {
                    return Optional.of(true);
                }
                case "false", "no", "off" -> {
                    return Optional.of(false);
                }
                default -> {
                }
            }
        }
        throw wrongType(key, "true or false", v);
    }

    /**
     * @param key setting name
     * @return its duration: a number of seconds, or text like {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}
     */
    public Optional<Duration> duration(String key) {
        Object v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n) {
            return Optional.of(Duration.ofMillis(Math.round(n.doubleValue() * 1000)));
        }
        if (v instanceof String s) {
            Optional<Duration> d = parseDuration(s.trim().toLowerCase(Locale.ROOT));
            if (d.isPresent()) {
                return d;
            }
        }
        throw wrongType(key, "a duration such as 500ms, 5s, 2m or a number of seconds", v);
    }

    /** @param key setting name @return its list of strings (a single string is a list of one), when set */
    public Optional<List<String>> list(String key) {
        Object v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(List.of(s));
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (o == null || o instanceof Map || o instanceof List) {
                    throw wrongType(key, "a list of strings", v);
                }
                out.add(o.toString());
            }
            return Optional.of(List.copyOf(out));
        }
        throw wrongType(key, "a list of strings", v);
    }

    /** @param key setting name @return its map value, when set */
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> map(String key) {
        Object v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map<?, ?> m) {
            return Optional.of((Map<String, Object>) m);
        }
        throw wrongType(key, "a mapping", v);
    }

    private static Optional<Duration> parseDuration(String s) {
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (s.endsWith("ms")) {
                return Optional.of(Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim())));
            }
            char unit = s.charAt(s.length() - 1);
            String num = Character.isDigit(unit) ? s : s.substring(0, s.length() - 1).trim();
            double amount = Double.parseDouble(num);
            long millis = switch (unit) {
                case 's' -> Math.round(amount * 1000);
                case 'm' -> Math.round(amount * 60_000);
                case 'h' -> Math.round(amount * 3_600_000);
                default -> Character.isDigit(unit) ? Math.round(amount * 1000) : -1;
            };
            return millis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private PluginConfigException wrongType(String key, String expected, Object actual) {
        String shown = actual instanceof Map ? "a mapping" : actual instanceof List ? "a list" : "'" + actual + "'";
        return new PluginConfigException(prefix + "." + key + ": expected " + expected + ", got " + shown);
    }

    @Override
    public String toString() {
        // Values may hold secrets: show keys only.
        return "PluginSettings[" + prefix + " " + values.keySet() + "]";
    }
}
