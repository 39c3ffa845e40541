package dev.llmhub.e2e;

import dev.llmhub.testsupport.process.ChildProcess;
import dev.llmhub.testsupport.process.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The assembled distribution ({@code bin/llmhub}) running as its own process, exactly as a user
 * starts it, on a free loopback port, with its output kept in a file the test can read.
 */
public final class ProxyProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;
    private final Path pluginsDir;

    private ProxyProcess(Process process, int port, Path log, Path pluginsDir) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.pluginsDir = pluginsDir;
    }

    /** @return the unpacked distribution this build assembled */
    public static Path distribution() {
        String dir = System.getProperty("llmhub.dist.dir");
        if (dir == null || !Files.isExecutable(Path.of(dir, "bin", "llmhub"))) {
            throw new IllegalStateException("no assembled distribution at " + dir + " (run through mvn verify)");
        }
        return Path.of(dir);
    }

    /**
     * Copies the distribution's bundled plugin zips into a fresh folder, so a test can add, replace
     * or remove zips without touching the build's output.
     *
     * @param work a temp folder of the test
     * @return the new plugins folder
     */
    public static Path copyBundledPlugins(Path work) {
        try {
            Path dir = Files.createDirectories(work.resolve("plugins"));
            try (Stream<Path> zips = Files.list(distribution().resolve("plugins"))) {
                for (Path zip : zips.filter(p -> p.toString().endsWith(".zip")).toList()) {
                    Files.copy(zip, dir.resolve(zip.getFileName()));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts {@code bin/llmhub --config <work>/config.yaml --port <free> --plugins-dir <pluginsDir>} and
     * waits until {@code /health/readiness} answers.
     *
     * @param work       a temp folder of the test (config and log go there)
     * @param configYaml the config file's text
     * @param pluginsDir the plugins folder, or null for the distribution's own
     * @param env        extra environment variables
     * @return the running proxy
     */
    public static ProxyProcess start(Path work, String configYaml, Path pluginsDir, Map<String, String> env) {
        return start(work, configYaml, pluginsDir, env, List.of());
    }

    /**
     * As {@link #start(Path, String, Path, Map)}, with more command-line arguments. The data directory
     * is {@code <work>/data}: a proxy started again on the same {@code work} finds its journal.
     */
    public static ProxyProcess start(Path work, String configYaml, Path pluginsDir, Map<String, String> env,
                                     List<String> extraArgs) {
        try {
            Path config = work.resolve("config.yaml");
            Files.writeString(config, configYaml);
            Path plugins = pluginsDir != null ? pluginsDir : distribution().resolve("plugins");
            int port = FreePort.onLoopback();
            Path log = work.resolve("llmhub.log");
            List<String> cmd = new ArrayList<>(List.of(distribution().resolve("bin/llmhub").toString(),
                    "--config", config.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--plugins-dir", plugins.toString(), "--data-dir", work.resolve("data").toString()));
            cmd.addAll(extraArgs);
            ProcessBuilder pb = new ProcessBuilder(ChildProcess.diesWithThisJvm(cmd)).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().putAll(env);
            ProxyProcess proxy = new ProxyProcess(pb.start(), port, log, plugins);
            proxy.awaitReady();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("llmhub exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (get("/health/readiness").statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            pause(100);
        }
        close();
        throw new IllegalStateException("llmhub not ready within 90 s:\n" + output());
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:34567} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** @return the plugins folder it watches */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** @return everything the process printed so far (stdout and stderr) */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a POST the way {@code curl --data} does (form content type unless a header says otherwise).
     *
     * @param path    e.g. {@code /chat/completions}
     * @param body    the JSON text
     * @param headers name, value, name, value…
     * @return the response
     */
    public HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    /** @return one scrape of {@code /metrics} */
    public PrometheusScrape metrics() {
        return new PrometheusScrape(get("/metrics").body());
    }

    /** @param path e.g. {@code /metrics} @param headers name, value… @return the response */
    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the proxy with SIGKILL (a crash: nothing runs on the way out) and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the process id (the JVM's: {@code bin/llmhub} execs it) */
    public long pid() {
        return process.pid();
    }

    /** @param text the config's new text, written over the file the proxy watches */
    public void rewriteConfig(Path work, String text) {
        try {
            Path tmp = work.resolve("config.yaml.tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, work.resolve("config.yaml"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the proxy the way a user does (SIGTERM: lanes stop, cursors are saved) and waits.
     *
     * @return the exit status
     */
    public int stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    /**
     * Waits for a condition, failing with a message and the proxy's output when it does not come true.
     *
     * @param what      what is awaited, for the failure message
     * @param timeout   how long at most
     * @param condition the condition
     */
    public void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what
                        + "\n--- llmhub output ---\n" + output());
            }
            pause(50);
        }
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
