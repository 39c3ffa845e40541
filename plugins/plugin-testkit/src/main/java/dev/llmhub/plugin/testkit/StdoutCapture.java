package dev.llmhub.plugin.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what a plugin prints to {@code System.out}, for plugins that log by printing. */
public final class StdoutCapture {
    private StdoutCapture() {
    }

    /**
     * Runs the action with {@code System.out} redirected and restores it afterwards.
     * {@code System.out} is global: do not run such tests in parallel.
     *
     * @param action what prints
     * @return everything printed, as UTF-8, with {@code \n} line ends
     */
    public static synchronized String run(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            action.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
