package dev.llmhub.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** A port nothing listens on yet, for a server a test starts on loopback. */
public final class FreePort {
    private FreePort() {
    }

    /** @return a port the kernel just handed out on loopback (free until someone else takes it) */
    public static int onLoopback() {
        return onLoopback(1)[0];
    }

    /**
     * Ports for one server's several listeners. Each is held until all are taken: one port at a time,
     * the kernel may hand out the port it just took back (it did, on a busy box, to a broker's two
     * listeners).
     *
     * @param count how many
     * @return that many distinct ports the kernel just handed out on loopback
     */
    public static int[] onLoopback(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listening socket nobody connected to does not fail in practice
                }
            }
        }
    }
}
