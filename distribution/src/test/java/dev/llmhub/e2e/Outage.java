package dev.llmhub.e2e;

import dev.llmhub.testsupport.process.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A switchable outage in front of a real server: a loopback port that forwards every connection to
 * the server while {@link #up()}, and refuses connections (nothing listens) while {@link #down()} —
 * what a destination sees when its server is gone, without restarting the server. Connections open
 * at {@link #down()} are cut.
 */
final class Outage implements AutoCloseable {
    private final URI target;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    /** @param target the real server, e.g. {@code http://127.0.0.1:9200}; starts down */
    Outage(String target) {
        this.target = URI.create(target);
        this.port = FreePort.onLoopback();
    }

    /** @return the URL to give the proxy instead of the server's */
    String url() {
        return target.getScheme() + "://127.0.0.1:" + port;
    }

    /** Starts forwarding. */
    synchronized Outage up() {
        if (listener != null) {
            return this;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listener = s;
            Thread.ofPlatform().daemon().name("outage-accept-" + port).start(() -> accept(s));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + port + " again", e);
        }
    }

    /** Stops listening and cuts every open connection: the server is "gone". */
    synchronized Outage down() {
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException e) {
                // closed anyway
            }
            listener = null;
        }
        for (Socket s : open) {
            close(s);
        }
        open.clear();
        return this;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket server = new Socket(target.getHost(), target.getPort());
                open.add(client);
                open.add(server);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                // closed by down(), or the server refused: the client sees its connection close
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("outage-pipe-" + port).start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                close(from);
                close(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        down();
    }
}
