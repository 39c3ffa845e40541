package dev.llmhub.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmhub.testsupport.process.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small things the end-to-end tests read and count: a file a destination writes, a port nothing answers on,
 * and the one JSON mapper they read answers, records and documents with.
 */
final class Texts {
    /** Plain Jackson defaults; shared, as a configured mapper is thread-safe. */
    static final ObjectMapper JSON = new ObjectMapper();

    private Texts() {
    }

    /** @return the file's text, or "" while it does not exist yet (a destination creates it with its first record) */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return how many times {@code what} occurs in {@code text}, overlapping ones included */
    static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    /** @return a loopback port that was just free and is closed again: a connection to it is refused */
    static int closedPort() {
        return FreePort.onLoopback();
    }
}
