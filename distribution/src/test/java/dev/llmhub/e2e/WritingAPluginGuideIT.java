package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.llmhub.server.SeedRequests;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/writing-a-plugin.md, followed as a plugin author does: its code blocks become a project in a
 * folder of its own, built with Maven against the llmhub artifacts `./mvnw install` put in the local
 * repository (nothing of this reactor on its class path), without a single warning; the zip holds
 * what the page lists; the assembled proxy loads it and both extensions work as the page says.
 *
 * <p>Runs in the {@code install} phase (a failsafe execution of its own in distribution/pom.xml):
 * only then are this build's artifacts the installed ones. CI's {@code ./run-tests} runs
 * {@code mvn install}.
 */
class WritingAPluginGuideIT {
    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize(); // failsafe runs in distribution/
    private static final String ZIP = "target/llmhub-webhook-1.0.0-plugin.zip";
    private static final String EXAMPLE_URL = "https://example.com/llm-calls";

    @TempDir
    static Path work;
    static GuidePage guide;
    static Path zip;
    static HttpServer webhook;
    static final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

    record Delivery(String body, Optional<String> authorization) {
    }

    @BeforeAll
    static void buildThePluginAsThePageSays() throws Exception {
        InstalledArtifacts.assertFromThisBuild(CHECKOUT);
        guide = GuidePage.read(CHECKOUT.resolve("docs/writing-a-plugin.md"));
        Path project = work.resolve("llmhub-webhook");
        guide.files().forEach((path, text) -> {
            if (!path.equals("config.yaml")) {
                write(project.resolve(path), text);
            }
        });
        List<String> output = maven(project, "verify");
        List<String> warnings = output.stream().filter(l -> l.startsWith("[WARNING]") || l.startsWith("[ERROR]")).toList();
        assertEquals(List.of(), warnings, "the guide's plugin build warns:\n" + String.join("\n", output));
        assertTrue(output.stream().anyMatch(l -> l.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0")),
                "PluginZipIT did not run:\n" + String.join("\n", output));
        zip = project.resolve(ZIP);

        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/llm-calls", exchange -> {
            deliveries.add(new Delivery(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterAll
    static void stopTheWebhook() {
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void theZipHoldsWhatThePageLists() throws IOException {
        List<String> files = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            z.stream().map(ZipEntry::getName).filter(n -> !n.endsWith("/")).sorted().forEach(files::add);
        }
        assertEquals(guide.zipListing(ZIP).stream().sorted().toList(), files);
    }

    @Test
    void theRunningProxyLoadsTheZipAndBothExtensionsWork(@TempDir Path run) throws Exception {
        deliveries.clear();
        try (ProxyProcess proxy = startWithTheGuidesConfig(run, Map.of("WEBHOOK_TOKEN", "guide-token-81"))) {
            proxy.await("the banner", java.time.Duration.ofSeconds(30), () -> proxy.output().contains("  try:"));
            assertTrue(Pattern.compile("destinations: .*webhook.*webhook\\.audit|destinations: .*webhook\\.audit.*webhook\\b")
                    .matcher(proxy.output()).find(), proxy.output());

            HttpResponse<String> r = proxy.post("/chat/completions", SeedRequests.GOOD_MORNING, "Authorization", "Bearer sk-1234");
            assertEquals(200, r.statusCode(), r.body());

            Delivery d = nextDelivery(proxy);
            assertEquals(Optional.of("Bearer guide-token-81"), d.authorization());
            JsonNode batch = JSON.readTree(d.body());
            assertEquals(1, batch.size(), d.body());
            String id = batch.get(0).get("id").asText();
            assertEquals("good morning good sir", batch.get(0).at("/messages/0/content").asText());
            assertEquals("[REDACTED]", batch.get(0).at("/headers/authorization").asText());

            String auditLine = "INFO webhook: " + id + " gpt-3.5-turbo 21 tokens";
            proxy.await("the audit handler's line", java.time.Duration.ofSeconds(30), () -> proxy.output().contains(auditLine));
            assertFalse(proxy.output().contains("sk-1234"), proxy.output());
        }
    }

    @Test
    void anUnsetTokenIsReportedAndTheWebhookPostsWithoutOne(@TempDir Path run) throws Exception {
        deliveries.clear();
        try (ProxyProcess proxy = startWithTheGuidesConfig(run, Map.of())) {
            assertTrue(proxy.output().contains("callback_settings.webhook.token: environment variable WEBHOOK_TOKEN is not set"),
                    proxy.output());
            assertEquals(200, proxy.post("/chat/completions", SeedRequests.GOOD_MORNING).statusCode());
            assertEquals(Optional.empty(), nextDelivery(proxy).authorization());
        }
    }

    private static ProxyProcess startWithTheGuidesConfig(Path run, Map<String, String> env) throws IOException {
        // As the page says: the zip, with its version in the name, in the proxy's plugins folder.
        Path plugins = ProxyProcess.copyBundledPlugins(run);
        Files.copy(zip, plugins.resolve("llmhub-webhook-1.0.0.zip"));
        String config = guide.file("config.yaml");
        assertTrue(config.contains(EXAMPLE_URL), config);
        String url = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/llm-calls";
        return ProxyProcess.start(run, config.replace(EXAMPLE_URL, url), plugins, env);
    }

    private static Delivery nextDelivery(ProxyProcess proxy) throws InterruptedException {
        Delivery d = deliveries.poll(30, TimeUnit.SECONDS);
        if (d == null) {
            throw new AssertionError("the webhook received nothing in 30 s\n--- llmhub output ---\n" + proxy.output());
        }
        return d;
    }

    /**
     * Runs llmhub's Maven wrapper in the project folder, on the local repository this build uses,
     * offline: this reactor already fetched every build plugin and library the page's build needs.
     */
    private static List<String> maven(Path project, String goal) throws Exception {
        List<String> cmd = List.of(CHECKOUT.resolve("mvnw").toString(), "-B", "-ntp", "-o", goal,
                "-Dmaven.repo.local=" + System.getProperty("llmhub.maven.repo.local"));
        Path log = work.resolve("maven.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MAVEN_ARGS");
        Process p = pb.start();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                throw new AssertionError("the plugin build did not finish in 10 min:\n" + Files.readString(log));
            }
        } finally {
            p.destroyForcibly();
        }
        List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "the guide's plugin build failed:\n" + String.join("\n", output));
        return output;
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The llmhub artifacts in the local repository must be the ones this build made. */
    static final class InstalledArtifacts {
        private InstalledArtifacts() {
        }

        static void assertFromThisBuild(Path checkout) throws IOException {
            String version = System.getProperty("llmhub.version");
            Path repo = Path.of(System.getProperty("llmhub.maven.repo.local"), "dev", "llmhub");
            Map<String, Path> built = Map.of(
                    "llmhub-plugin-api", checkout.resolve("plugin-api/target"),
                    "llmhub-plugin-testkit", checkout.resolve("plugins/plugin-testkit/target"),
                    "llmhub-plugin-kit", checkout.resolve("plugins/plugin-kit/target"),
                    "llmhub-plugin-assembly", checkout.resolve("plugins/plugin-assembly/target"),
                    "llmhub-hub-core", checkout.resolve("hub-core/target"));
            for (Map.Entry<String, Path> e : built.entrySet()) {
                String jar = e.getKey() + "-" + version + ".jar";
                Path installed = repo.resolve(e.getKey()).resolve(version).resolve(jar);
                if (!Files.exists(installed)
                        || !java.util.Arrays.equals(Files.readAllBytes(installed), Files.readAllBytes(e.getValue().resolve(jar)))) {
                    throw new AssertionError(installed + " is not this build's " + jar + ": the guide test builds against"
                            + " the installed artifacts, so run it with `./mvnw install` (as ./run-tests does)");
                }
            }
        }
    }
}
