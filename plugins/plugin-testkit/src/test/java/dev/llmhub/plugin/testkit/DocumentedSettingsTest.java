package dev.llmhub.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentedSettingsTest {
    private static final String PAGE = """
            # sink

            | other | table |
            |---|---|
            | `x` | `y` |

            | Setting | Environment variable | Default | Meaning |
            | --- | --- | --- | --- |
            | `url` | `SINK_URL` | — (required) | where |
            | `username`, `password` | | — | basic auth |
            | `timeout` | | `10s` | one request |
            | `retries` | | `3` | tries |
            | `release` | | none | shown on traces |
            | `mode` | | `fast` or `safe` | prose, not one value |

            After the table.
            """;

    record Sink(String timeout, int retries) {
        static Sink read(Map<String, Object> s) {
            return new Sink(String.valueOf(s.getOrDefault("timeout", "10s")),
                    Integer.parseInt(String.valueOf(s.getOrDefault("retries", "3"))));
        }
    }

    @Test
    void readsOneLiteralDefaultPerSettingFromTheSettingsTable(@TempDir Path dir) throws Exception {
        Path page = Files.writeString(dir.resolve("sink.md"), PAGE);
        assertEquals(Map.of("timeout", "10s", "retries", "3"), DocumentedSettings.defaults(page));
        assertEquals(Map.of("timeout", "10s", "retries", "3"), DocumentedSettings.assertCodeFollows(page, Map.of(), Sink::read));
    }

    @Test
    void aDefaultTheCodeDoesNotHaveFailsNamingTheKey(@TempDir Path dir) throws Exception {
        Path page = Files.writeString(dir.resolve("sink.md"), PAGE.replace("| `3` |", "| `5` |"));
        AssertionError e = assertThrows(AssertionError.class, () -> DocumentedSettings.assertCodeFollows(page, Map.of(), Sink::read));
        assertTrue(e.getMessage().contains("retries: the page says the default is `5`"), e.getMessage());
    }

    @Test
    void aPageWithoutASettingsTableIsAnError(@TempDir Path dir) throws Exception {
        Path page = Files.writeString(dir.resolve("none.md"), "# nothing\n");
        assertThrows(AssertionError.class, () -> DocumentedSettings.defaults(page));
    }
}
