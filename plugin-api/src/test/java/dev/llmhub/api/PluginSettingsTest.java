package dev.llmhub.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PluginSettingsTest {

    private static PluginSettings settings(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new PluginSettings("callback_settings.sink", m);
    }

    private static String refusal(Object value, Function<PluginSettings, Object> getter) {
        return assertThrows(PluginConfigException.class, () -> getter.apply(settings("k", value))).getMessage();
    }

    @Test
    void strings() {
        PluginSettings s = settings("url", "http://x", "port", 9200, "on", true, "blank", "  ", "unset", null);
        assertEquals(Optional.of("http://x"), s.string("url"));
        assertEquals(Optional.of("9200"), s.string("port"));
        assertEquals(Optional.of("true"), s.string("on"));
        assertEquals(Optional.empty(), s.string("blank"));
        assertEquals(Optional.empty(), s.string("unset"), "an unset os.environ/NAME arrives as null");
        assertEquals(Optional.empty(), s.string("missing"));
        assertEquals("callback_settings.sink.k: expected a string, got a mapping", refusal(Map.of("a", 1), x -> x.string("k")));
        assertEquals("callback_settings.sink.k: expected a string, got a list", refusal(List.of("a"), x -> x.string("k")));
    }

    @Test
    void wholeNumbers() {
        assertEquals(Optional.of(5L), settings("k", 5).number("k"));
        assertEquals(Optional.of(5L), settings("k", 5.0).number("k"));
        assertEquals(Optional.of(5L), settings("k", " 5 ").number("k"));
        assertEquals("callback_settings.sink.k: expected a whole number, got '5.5'", refusal(5.5, x -> x.number("k")));
        assertEquals("callback_settings.sink.k: expected a whole number, got 'five'", refusal("five", x -> x.number("k")));
    }

    @Test
    void booleans() {
        for (Object yes : new Object[] {true, "true", "Yes", "on"}) {
            assertEquals(Optional.of(true), settings("k", yes).bool("k"), String.valueOf(yes));
        }
        for (Object no : new Object[] {false, "false", "NO", "off"}) {
            assertEquals(Optional.of(false), settings("k", no).bool("k"), String.valueOf(no));
        }
        assertEquals("callback_settings.sink.k: expected true or false, got 'maybe'", refusal("maybe", x -> x.bool("k")));
        assertEquals("callback_settings.sink.k: expected true or false, got '1'", refusal(1, x -> x.bool("k")));
    }

    @Test
    void durations() {
        Map<Object, Duration> cases = new LinkedHashMap<>();
        cases.put(5, Duration.ofSeconds(5));
        cases.put(1.5, Duration.ofMillis(1500));
        cases.put("10", Duration.ofSeconds(10));
        cases.put("500ms", Duration.ofMillis(500));
        cases.put("5s", Duration.ofSeconds(5));
        cases.put(" 2m ", Duration.ofMinutes(2));
        cases.put("1H", Duration.ofHours(1));
        cases.put("0.5s", Duration.ofMillis(500));
        cases.forEach((text, expected) -> assertEquals(Optional.of(expected), settings("k", text).duration("k"), "'" + text + "'"));
        for (Object bad : new Object[] {"soon", "5d", "ms", "", "1.5ms", true}) {
            assertEquals("callback_settings.sink.k: expected a duration such as 500ms, 5s, 2m or a number of seconds, got '" + bad + "'",
                    refusal(bad, x -> x.duration("k")));
        }
    }

    @Test
    void lists() {
        assertEquals(Optional.of(List.of("a")), settings("k", "a").list("k"));
        assertEquals(Optional.of(List.of("a", "1", "true")), settings("k", List.of("a", 1, true)).list("k"));
        assertEquals("callback_settings.sink.k: expected a list of strings, got a list", refusal(List.of(Map.of()), x -> x.list("k")));
        assertEquals("callback_settings.sink.k: expected a list of strings, got '5'", refusal(5, x -> x.list("k")));
    }

    @Test
    void maps() {
        assertEquals(Optional.of(Map.of("a", 1)), settings("k", Map.of("a", 1)).map("k"));
        assertEquals("callback_settings.sink.k: expected a mapping, got 'x'", refusal("x", x -> x.map("k")));
    }

    @Test
    void theValuesAreADeepImmutableCopy() {
        List<Object> hosts = new ArrayList<>(List.of("a"));
        Map<String, Object> nested = new HashMap<>(Map.of("hosts", hosts));
        Map<String, Object> raw = new HashMap<>(Map.of("tls", nested));
        PluginSettings s = new PluginSettings("callback_settings.sink", raw);
        hosts.add("b");
        raw.put("late", 1);
        assertEquals(Map.of("tls", Map.of("hosts", List.of("a"))), s.asMap());
        assertThrows(UnsupportedOperationException.class, () -> s.asMap().put("x", 1));
        assertFalse(s.has("late"));
        assertTrue(s.has("tls"));
    }

    @Test
    void toStringShowsKeysNeverValues() {
        String shown = settings("api_key", "sk-live-123", "url", "http://x").toString();
        assertEquals("PluginSettings[callback_settings.sink [api_key, url]]", shown);
    }

    @Test
    void nullsAreNamed() {
        assertEquals("prefix is null", assertThrows(NullPointerException.class, () -> new PluginSettings(null, Map.of())).getMessage());
        assertEquals("values is null", assertThrows(NullPointerException.class, () -> new PluginSettings("p", null)).getMessage());
        assertEquals("key is null", assertThrows(NullPointerException.class, () -> settings().string(null)).getMessage());
    }
}
