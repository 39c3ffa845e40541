package dev.llmhub.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port nothing listens on yet, for a server a test starts on loopback. */
public final class FreePort {
    private FreePort() {
    }

    /** @return a port the kernel just handed out on loopback (free until someone else takes it) */
    public static int onLoopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
