package dev.llmhub.core.router;

import dev.llmhub.testsupport.process.ChildProcess;
import dev.llmhub.testsupport.process.FreePort;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian {@code redis-server} for tests, on a free loopback port, as its own process that dies
 * with the test JVM even when that is SIGKILLed ({@code setpriv --pdeathsig KILL}). It can be stopped
 * (SIGKILL: an outage), started again on the same port (empty: nothing is saved), and frozen (SIGSTOP:
 * a Redis that accepts connections but never answers). {@link #command} speaks RESP for assertions.
 * Started with {@link #startTls}, it also listens with TLS on {@link #tlsPort()}, with a certificate of a
 * CA made for it ({@link #certificates()}); {@link #command} keeps using the plain port.
 * <p>
 * When {@code redis-server} is not installed this fails (never skips): {@code ./run-tests} installs it.
 */
public final class RedisServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Optional<String> password;
    private final Optional<TestCertificates> tls;
    private final int tlsPort;
    private Process process;

    private RedisServer(Path dir, Optional<String> password, Optional<TestCertificates> tls) {
        // Both ports taken together: one at a time, the kernel may hand out the same port twice.
        int[] ports = FreePort.onLoopback(tls.isPresent() ? 2 : 1);
        this.dir = dir;
        this.port = ports[0];
        this.password = password;
        this.tls = tls;
        this.tlsPort = tls.isPresent() ? ports[1] : -1;
    }

    /**
     * Starts one and waits until it answers PING.
     *
     * @param dir      a folder of the test for its log and working directory
     * @param password {@code requirepass}, or empty for none
     * @return the running server
     */
    public static RedisServer start(Path dir, Optional<String> password) {
        RedisServer s = new RedisServer(dir, password, Optional.empty());
        s.launch();
        return s;
    }

    /**
     * Starts one that also listens with TLS (clients need not show a certificate), and waits until it
     * answers PING.
     *
     * @param dir      a folder of the test for its log, working directory and certificates
     * @param password {@code requirepass}, or empty for none
     * @return the running server
     */
    public static RedisServer startTls(Path dir, Optional<String> password) {
        RedisServer s = new RedisServer(dir, password, Optional.of(TestCertificates.make(dir.resolve("tls"))));
        s.launch();
        return s;
    }

    /** @return the loopback port it listens on with TLS (the same across {@link #restart()}) @throws IllegalStateException when started without */
    public int tlsPort() {
        certificates();
        return tlsPort;
    }

    /** @return the CA and certificate it shows on its TLS port @throws IllegalStateException when started without TLS */
    public TestCertificates certificates() {
        return tls.orElseThrow(() -> new IllegalStateException("started without TLS"));
    }

    /** @return the loopback port it listens on (the same across {@link #restart()}) */
    public int port() {
        return port;
    }

    /** @return e.g. {@code 127.0.0.1} */
    public String host() {
        return "127.0.0.1";
    }

    /** Kills it (SIGKILL) and waits until it is gone: an outage. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts it again on the same port, empty. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Freezes it (SIGSTOP): connections are accepted, nothing is answered. */
    public void pause() {
        signal("STOP");
    }

    /** Thaws it (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    /**
     * Sends one command (after AUTH when a password is set) and reads its reply.
     *
     * @param args e.g. {@code "KEYS", "*"}
     * @return a String, Long, List or null; an error reply throws
     */
    public Object command(String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            if (password.isPresent()) {
                write(out, "AUTH", password.get());
                read(in);
            }
            write(out, args);
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** @return what the server printed */
    public String log() {
        try {
            Path log = dir.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void launch() {
        String binary = binary();
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no", "--daemonize", "no",
                "--loglevel", "warning"));
        password.ifPresent(p -> cmd.addAll(List.of("--requirepass", p)));
        tls.ifPresent(t -> cmd.addAll(List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file",
                t.serverCert().toString(), "--tls-key-file", t.serverKey().toString(), "--tls-ca-cert-file",
                t.ca().toString(), "--tls-auth-clients", "no")));
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(ChildProcess.diesWithThisJvm(cmd)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (UncheckedIOException | IllegalStateException notYet) {
                // not listening (or loading) yet
            }
            if (Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-server not answering PING within 20 s:\n" + log());
            }
            sleep(Duration.ofMillis(20));
        }
    }

    private static String binary() {
        for (String d : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin"
                + File.pathSeparator + "/usr/local/bin").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "redis-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("redis-server is not installed; install Debian's: apt-get install -y redis-server"
                + " (.ci/run does this when it is missing)");
    }

    private void signal(String sig) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + sig + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(OutputStream out, String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IllegalStateException("redis error: " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                byte[] b = in.readNBytes(n + 2);
                yield new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                yield items;
            }
            case -1 -> throw new IOException("connection closed");
            default -> throw new IOException("unexpected reply type " + (char) type);
        };
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            b.write(c);
        }
        in.read(); // '\n'
        return b.toString(StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
