package dev.llmhub.plugin.elasticsearch;

import dev.llmhub.testsupport.process.ChildProcess;
import dev.llmhub.testsupport.process.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Elasticsearch server (the integ-test distribution the test build unpacks) on free loopback
 * ports, one per test JVM ({@link #shared()}), stoppable and restartable on the same ports and data
 * folder to play an outage.
 *
 * <p>Elasticsearch refuses to run as root: when the build runs as root (CI does) the server runs as an
 * unprivileged user, created when missing. It is started with {@code setpriv --pdeathsig KILL} when
 * available, so it dies with the test JVM even when that is killed; a pid file lets the next run stop
 * a server a crashed run left behind; and a shutdown hook stops it on a normal exit.
 */
public final class ElasticsearchServer implements AfterAllCallback {
    private static final String SERVICE_USER = "llmhub-es";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static ElasticsearchServer shared;

    private final Path home;
    private final Path work;
    private final boolean root = isRoot();
    /** A file-realm superuser {name, password} when security is on, else null. */
    private String[] secureUser;
    private final int httpPort;
    private final int transportPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private Duration lastStartTime = Duration.ZERO;

    /**
     * @param home where the distribution is unpacked
     * @param work where data, logs and the console log go
     */
    public ElasticsearchServer(Path home, Path work) {
        if (root && !serviceUserCanRead(home)) {
            // A checkout under a private folder (e.g. /root) cannot be read by the unprivileged user
            // Elasticsearch runs as: use a copy in the temp folder instead.
            Path base = Path.of(System.getProperty("java.io.tmpdir"), "llmhub-es");
            Path copy = base.resolve(home.getFileName());
            copyTree(home, copy);
            home = copy;
            work = base.resolve("work");
        }
        this.home = home;
        this.work = work;
        this.httpPort = FreePort.onLoopback();
        this.transportPort = FreePort.onLoopback();
    }

    /** @return the server of this test JVM, started on first use */
    public static synchronized ElasticsearchServer shared() {
        if (shared == null) {
            Path home = Path.of(System.getProperty("llmhub.es.home", "target/elasticsearch-9.2.0"));
            Path work = Path.of(System.getProperty("llmhub.es.work", "target/es-work"));
            ElasticsearchServer server = new ElasticsearchServer(home, work);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "stop-elasticsearch"));
            server.wipeData();
            server.start();
            shared = server;
        }
        return shared;
    }

    /**
     * Turns security on (HTTP stays plain) with one file-realm superuser, in a config folder of this
     * server's own. Call before {@link #start()}.
     *
     * @param user     user name
     * @param password its password
     * @return this
     */
    public ElasticsearchServer withSecurity(String user, String password) {
        this.secureUser = new String[] {user, password};
        return this;
    }

    /** @return the HTTP address, e.g. {@code http://127.0.0.1:39201} */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** @return how long the last start took until the cluster answered its health check */
    public Duration lastStartTime() {
        return lastStartTime;
    }

    /** Deletes the data of an earlier run, so each test run starts from an empty cluster. */
    public synchronized void wipeData() {
        try {
            stopLeftover();
            Path data = work.resolve("data");
            if (Files.exists(data)) {
                try (var paths = Files.walk(data)) {
                    for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + work.resolve("data"), e);
        }
    }

    /**
     * Registered as a test class's extension ({@code @RegisterExtension static final ElasticsearchServer es =
     * ElasticsearchServer.shared();}), the server is started again after the class when a test stopped it:
     * the other classes in this JVM share it.
     */
    @Override
    public void afterAll(ExtensionContext context) {
        start();
    }

    /**
     * Starts the server (again, after {@link #stop()}: same ports, same data) and waits until it is ready.
     * Call it from a thread that outlives the server (the test's own): Linux sends the
     * {@code --pdeathsig} signal when the starting <em>thread</em> ends, not the JVM.
     */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Elasticsearch from " + home, e);
        }
    }

    private void startProcess() throws IOException {
        if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
            throw new IllegalStateException("no Elasticsearch at " + home.toAbsolutePath()
                    + "; the build unpacks it in process-test-resources (mvn verify)");
        }
        Files.createDirectories(work.resolve("data"));
        Files.createDirectories(work.resolve("logs"));
        stopLeftover();
        Path conf = null;
        if (secureUser != null) {
            conf = work.resolve("config");
            if (!Files.exists(conf.resolve("elasticsearch.yml"))) {
                copyTree(home.resolve("config"), conf);
            }
            ProcessBuilder users = new ProcessBuilder(home.resolve("bin/elasticsearch-users").toAbsolutePath().toString(),
                    "useradd", secureUser[0], "-p", secureUser[1], "-r", "superuser");
            users.environment().put("ES_JAVA_HOME", System.getProperty("java.home"));
            users.environment().put("ES_PATH_CONF", conf.toAbsolutePath().toString());
            users.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog().toFile()));
            Files.writeString(conf.resolve("users"), "");
            Files.writeString(conf.resolve("users_roles"), "");
            try {
                if (users.start().waitFor() != 0) {
                    throw new IOException("elasticsearch-users useradd failed; see " + consoleLog());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (root) {
                run(List.of("chown", "-R", SERVICE_USER, conf.toString()));
            }
        }
        List<String> command = new ArrayList<>();
        if (root) {
            run(List.of("chown", "-R", SERVICE_USER, home.toString(), work.resolve("data").toString(),
                    work.resolve("logs").toString()));
            if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
                command.addAll(List.of("setpriv", "--reuid=" + SERVICE_USER, "--regid=" + SERVICE_USER,
                        "--init-groups", "--pdeathsig", "KILL", "--"));
            } else {
                command.addAll(List.of("runuser", "-u", SERVICE_USER, "--"));
            }
        }
        command.add(home.resolve("bin/elasticsearch").toAbsolutePath().toString());
        command.addAll(List.of(
                "-E", "discovery.type=single-node",
                "-E", "network.host=127.0.0.1",
                "-E", "http.port=" + httpPort,
                "-E", "transport.port=" + transportPort,
                "-E", "xpack.security.enabled=" + (secureUser != null),
                "-E", "xpack.security.http.ssl.enabled=false",
                "-E", "xpack.security.transport.ssl.enabled=false",
                // A nearly full CI disk must not turn indices read-only mid-test.
                "-E", "cluster.routing.allocation.disk.threshold_enabled=false",
                "-E", "path.data=" + work.resolve("data").toAbsolutePath(),
                "-E", "path.logs=" + work.resolve("logs").toAbsolutePath()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("ES_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("ES_JAVA_OPTS", "-Xms512m -Xmx512m");
        if (conf != null) {
            pb.environment().put("ES_PATH_CONF", conf.toAbsolutePath().toString());
        }
        pb.environment().remove("JAVA_HOME");
        Path console = consoleLog();
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        Instant started = Instant.now();
        process = pb.start();
        Files.writeString(work.resolve("es.pid"), Long.toString(process.pid()));
        Instant deadline = started.plus(START_TIMEOUT);
        while (!healthy()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Elasticsearch exited with " + process.exitValue()
                        + " while starting; end of " + console + ":\n" + tail(console));
            }
            if (Instant.now().isAfter(deadline)) {
                stop();
                throw new IllegalStateException("Elasticsearch not ready after " + START_TIMEOUT.toSeconds()
                        + " s; end of " + console + ":\n" + tail(console));
            }
            ChildProcess.pause(Duration.ofMillis(200));
        }
        lastStartTime = Duration.between(started, Instant.now());
        System.out.println("Elasticsearch ready at " + url() + " after " + lastStartTime.toMillis() + " ms");
    }

    /** @return whether {@code GET /_cluster/health} says green or yellow (the integ zip has no {@code GET /}) */
    public boolean healthy() {
        try {
            HttpRequest.Builder health = HttpRequest.newBuilder(URI.create(url() + "/_cluster/health"))
                    .timeout(Duration.ofSeconds(5)).GET();
            if (secureUser != null) {
                health.header("Authorization", basicAuth());
            }
            HttpResponse<String> r = http.send(health.build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && !r.body().contains("\"status\":\"red\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return the {@code Authorization} header of the superuser, when security is on */
    public String basicAuth() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (secureUser[0] + ":" + secureUser[1]).getBytes(StandardCharsets.UTF_8));
    }

    /** Stops the server and every process it started, waiting until they are gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Instant begin = Instant.now();
        stopTree(process.toHandle());
        process = null;
        waitUntilPortFree();
        System.out.println("Elasticsearch stopped in " + Duration.between(begin, Instant.now()).toMillis() + " ms");
    }

    private static void stopTree(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        // Elasticsearch shuts down cleanly on SIGTERM; the launcher follows its server.
        all.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(STOP_TIMEOUT);
        for (ProcessHandle p : all) {
            while (p.isAlive() && Instant.now().isBefore(deadline)) {
                ChildProcess.pause(Duration.ofMillis(100));
            }
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().join();
        }
    }

    private void waitUntilPortFree() {
        Instant deadline = Instant.now().plus(STOP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try {
                new ServerSocket(httpPort, 1, InetAddress.getLoopbackAddress()).close();
                return;
            } catch (IOException busy) {
                ChildProcess.pause(Duration.ofMillis(100));
            }
        }
    }

    /** A run that was killed hard may have left its server behind: stop it, if it is still one of ours. */
    private void stopLeftover() throws IOException {
        Path pidFile = work.resolve("es.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> old = ProcessHandle.of(pid);
            if (old.isPresent() && old.get().info().commandLine().orElse("").contains(home.toAbsolutePath().toString())) {
                stopTree(old.get());
            }
        } catch (NumberFormatException ignored) {
            // a damaged pid file: nothing to stop
        }
        Files.deleteIfExists(pidFile);
    }

    /** @return the console log's last lines */
    public String consoleTail() {
        return tail(consoleLog());
    }

    private Path consoleLog() {
        return work.resolve("elasticsearch-console.log");
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static boolean serviceUserCanRead(Path home) {
        try {
            ensureServiceUser();
            return exitCode(List.of("setpriv", "--reuid=" + SERVICE_USER, "--regid=" + SERVICE_USER, "--init-groups",
                    "--", "test", "-r", home.toAbsolutePath().resolve("bin/elasticsearch").toString())) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void copyTree(Path from, Path to) {
        if (Files.isExecutable(to.resolve("bin/elasticsearch"))) {
            return;
        }
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy Elasticsearch to " + to, e);
        }
    }

    private static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void ensureServiceUser() throws IOException {
        if (exitCode(List.of("id", "-u", SERVICE_USER)) == 0) {
            return;
        }
        run(List.of("useradd", "-r", "-M", "-s", "/usr/sbin/nologin", SERVICE_USER));
    }

    private static void run(List<String> command) throws IOException {
        int code = exitCode(command);
        if (code != 0) {
            throw new IOException(String.join(" ", command) + " failed with exit code " + code);
        }
    }

    private static int exitCode(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }
}
