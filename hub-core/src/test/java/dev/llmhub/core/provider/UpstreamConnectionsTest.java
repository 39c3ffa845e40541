package dev.llmhub.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UpstreamConnectionsTest {

    @Test
    void callsInARowShareOneConnection() throws Exception {
        try (KeepAliveUpstream upstream = new KeepAliveUpstream(0)) {
            Caller caller = new Caller(upstream.base());
            for (int i = 0; i < 50; i++) {
                assertEquals("{\"n\":" + (i + 1) + "}", caller.call());
            }
            assertEquals(1, upstream.accepted.get());
        }
    }

    @Test
    void aConnectionTheUpstreamClosesWhileIdleIsDroppedAndTheNextCallOpensAnother() throws Exception {
        // The upstream closes connections idle for longer than HOT, so the sweeper watches this one first.
        try (KeepAliveUpstream upstream = new KeepAliveUpstream(UpstreamConnections.HOT.toMillis() + 700)) {
            Caller caller = new Caller(upstream.base());
            assertEquals("{\"n\":1}", caller.call());
            assertTrue(upstream.closedIdle.await(10, TimeUnit.SECONDS), "the upstream closed the idle connection");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (caller.connections.idle() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(0, caller.connections.idle(), "the closed connection is no longer kept");
            assertEquals("{\"n\":2}", caller.call());
            assertEquals(2, upstream.accepted.get());
        }
    }

    /** Posts through the pool as HttpProvider does. */
    private static final class Caller {
        final UpstreamConnections connections;
        final Http1Client http1;

        Caller(String base) {
            WebClient client = WebClient.builder().baseUri(base).followRedirects(false).build();
            connections = UpstreamConnections.of(client, URI.create(base));
            http1 = client.client(Http1Client.PROTOCOL);
        }

        String call() {
            try (HttpClientResponse res = http1.post("/v1/chat/completions").connection(connections.take()).submit("{}")) {
                return res.entity().as(String.class);
            }
        }
    }

    /**
     * A real HTTP/1.1 server on loopback that keeps connections alive, counts them, numbers its answers,
     * and closes a connection idle for longer than a given time (0: never).
     */
    private static final class KeepAliveUpstream implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final CountDownLatch closedIdle = new CountDownLatch(1);
        private final ServerSocket server;
        private final long idleCloseMillis;

        KeepAliveUpstream(long idleCloseMillis) throws IOException {
            this.idleCloseMillis = idleCloseMillis;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        String base() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = server.accept();
                    accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s));
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        private void serve(Socket s) {
            try (s) {
                s.setSoTimeout((int) idleCloseMillis);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                while (true) {
                    int length = 0;
                    String line = in.readLine();
                    if (line == null) {
                        return;
                    }
                    while (!(line = in.readLine()).isEmpty()) {
                        if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                            length = Integer.parseInt(line.substring(15).strip());
                        }
                    }
                    in.skip(length);
                    byte[] body = ("{\"n\":" + answered.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                }
            } catch (SocketTimeoutException idle) {
                closedIdle.countDown();
            } catch (IOException gone) {
                // the client closed the connection
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
