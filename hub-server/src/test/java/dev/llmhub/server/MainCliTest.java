package dev.llmhub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help, bad arguments, bad config (exit 2, one line, no stack trace), --test, serve. */
class MainCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpDocumentsEveryOption() {
        assertEquals(0, run("--help"));
        for (String flag : new String[] {"--config", "--host", "--port", "--plugins-dir", "--debug", "--detailed_debug",
                "--test", "--url", "--model", "--key"}) {
            assertTrue(out().contains(flag), flag);
        }
    }

    @Test
    void badArgumentsExit2() {
        assertEquals(2, run("--bogus"));
        assertTrue(err().contains("unknown argument '--bogus'"), err());
        assertEquals(2, run("--port", "eighty"));
        assertEquals(2, run());
        assertTrue(err().contains("--config FILE is required"), err());
    }

    @Test
    void badConfigIsOneReadableLineAndExit2(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                model_list:
                  - model_name: a
                    litellm_params:
                      model: openai/x
                      rpm: [1, 2]
                """);
        assertEquals(2, run("--config", bad.toString(), "--port", "0"));
        String e = err().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains(bad + ":5: model_list[0].litellm_params.rpm:"), e);
        assertFalse(e.contains("Exception") || e.contains("\tat "), e);
        assertEquals(2, run("--config", dir.resolve("missing.yaml").toString()));
    }

    @Test
    void servesAndTestCommandTalksToIt(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), OpenAiClientTest.CONFIG);
        CliOptions options = CliOptions.parse(new String[] {"--config", config.toString(), "--host", "127.0.0.1",
                "--port", "0", "--plugins-dir", dir.toString(), "--data-dir", dir.resolve("data").toString()});
        Main.Running running = Main.start(options);
        try {
            String banner = Main.banner(running, options);
            assertTrue(banner.contains("listening on http://127.0.0.1:" + running.port()), banner);
            assertTrue(banner.contains("gpt-3.5-turbo"), banner);
            assertTrue(banner.contains("destinations: (none)"), banner);
            assertTrue(banner.contains("data dir:     " + dir.resolve("data").toAbsolutePath().normalize()
                    + " (--data-dir; durability process)"), banner);
            String url = "http://127.0.0.1:" + running.port();
            assertEquals(0, run("--test", "--url", url, "--key", "sk-1234"));
            assertTrue(out().contains(OpenAiClientTest.MOCK_TEXT), out());
            assertEquals(1, run("--test", "--url", url, "--key", "wrong"));
            assertTrue(err().contains("401"), err());
        } finally {
            running.stop();
        }
    }

    @Test
    void testCommandFailsClearlyWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(1, run("--test", "--url", "http://127.0.0.1:" + port, "--model", "m"));
        assertTrue(err().contains("cannot reach"), err());
    }
}
