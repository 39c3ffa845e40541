package dev.llmhub.plugin.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers a real cluster rarely gives on demand (refused credentials, overload, mixed per-item
 * failures), from an HTTP server on loopback that speaks the same JSON as Elasticsearch.
 */
class ElasticsearchAnswersTest {
    private static final String SECRET = "pw-Kq83LmZ0-secret";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Answer answer;

    record Answer(int status, String body, Map<String, String> headers) {
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String start(HttpServer s) {
        server = s;
        server.createContext("/", this::handle);
        server.start();
        String scheme = s instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    private String startHttp() throws IOException {
        return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath()
                + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
        Answer a = answer;
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(a.status(), body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private static String error(int status, String type) {
        return "{\"error\":{\"type\":\"" + type + "\",\"reason\":\"" + type + " happened\"},\"status\":" + status + "}";
    }

    private static Destination destination(TestPluginContext ctx) {
        return new ElasticsearchDestinationFactory().create(ctx);
    }

    private static TestPluginContext context(String url, Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put("url", url);
        settings.put("request_timeout", "5s");
        return TestPluginContext.of("elasticsearch", settings, Map.of());
    }

    @Test
    void refusedCredentialsArePermanentAndTheLogNamesTheHostNotTheSecret() throws IOException {
        String url = startHttp();
        answer = new Answer(401, error(401, "security_exception"), Map.of("WWW-Authenticate", "Basic realm=\"security\""));
        TestPluginContext ctx = context(url, Map.of("username", "llmhub", "password", SECRET));
        try (Destination d = destination(ctx)) {
            ExportResult.Permanent p = assertInstanceOf(ExportResult.Permanent.class, d.export(Records.successes(2)));
            assertTrue(p.reason().contains("401"), p.reason());
            assertFalse(p.reason().contains(SECRET), p.reason());
        }
        assertTrue(requests.get(0).startsWith("PUT /_component_template/llmhub-calls@mappings auth=Basic "), requests.toString());
        String log = String.join("\n", ctx.logger().lines());
        assertTrue(log.contains(url.substring("http://".length())) && log.contains("credentials"), log);
        assertFalse(log.contains(SECRET), log);
        assertFalse(log.contains(requests.get(0).substring(requests.get(0).indexOf("auth=Basic ") + 11)), log);
    }

    @Test
    void anApiKeyIsSentAsElasticsearchExpectsIt() throws IOException {
        String url = startHttp();
        List<CallRecord> batch = Records.successes(1);
        answer = new Answer(200, "{\"errors\":false,\"took\":1,\"items\":[" + item(batch.get(0), 201, null) + "]}", Map.of());
        try (Destination d = destination(context(url, Map.of("api_key", "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw",
                "install_template", false)))) {
            assertEquals(ExportResult.success(), d.export(batch));
        }
        try (Destination d = destination(context(url, Map.of("api_key", "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==",
                "install_template", false)))) {
            assertEquals(ExportResult.success(), d.export(batch));
        }
        // Elastic's documented example: id "VuaCfGcBCdbkQm-e5aOx", key "ui2lp2axTNmsyakw9tvNnw".
        String expected = "auth=ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
        assertEquals(List.of("POST /_bulk " + expected, "POST /_bulk " + expected), requests);
    }

    @Test
    void anOverloadedClusterIsRetryableAndItsRetryAfterIsKept() throws IOException {
        String url = startHttp();
        TestPluginContext ctx = context(url, Map.of("install_template", false));
        try (Destination d = destination(ctx)) {
            answer = new Answer(429, error(429, "es_rejected_execution_exception"), Map.of("Retry-After", "7"));
            ExportResult.Retryable busy = assertInstanceOf(ExportResult.Retryable.class, d.export(Records.successes(1)));
            assertEquals(Duration.ofSeconds(7), busy.after());
            answer = new Answer(503, error(503, "cluster_block_exception"), Map.of());
            assertInstanceOf(ExportResult.Retryable.class, d.export(Records.successes(1)));
            answer = new Answer(400, error(400, "illegal_argument_exception"), Map.of());
            assertInstanceOf(ExportResult.Permanent.class, d.export(Records.successes(1)));
        }
        // One request per export: the transport must not resend on its own (the core's lane retries).
        assertEquals(3, requests.size(), requests.toString());
        assertTrue(requests.stream().allMatch(r -> r.startsWith("POST /_bulk")), requests.toString());
    }

    @Test
    void eachItemOfABulkAnswerMapsToItsRecord() throws IOException {
        String url = startHttp();
        List<CallRecord> batch = Records.successes(5);
        answer = new Answer(200, "{\"errors\":true,\"took\":3,\"items\":["
                + item(batch.get(0), 201, null)
                + "," + item(batch.get(1), 409, "version_conflict_engine_exception")
                + "," + item(batch.get(2), 429, "es_rejected_execution_exception")
                + "," + item(batch.get(3), 400, "document_parsing_exception")
                + "," + item(batch.get(4), 503, "unavailable_shards_exception")
                + "]}", Map.of());
        TestPluginContext ctx = context(url, Map.of("install_template", false));
        ExportResult result;
        try (Destination d = destination(ctx)) {
            result = d.export(batch);
        }
        Map<String, ExportResult> failures = assertInstanceOf(ExportResult.Partial.class, result).failures();
        assertEquals(3, failures.size(), failures.toString());
        assertInstanceOf(ExportResult.Retryable.class, failures.get(batch.get(2).id()));
        assertInstanceOf(ExportResult.Permanent.class, failures.get(batch.get(3).id()));
        assertInstanceOf(ExportResult.Retryable.class, failures.get(batch.get(4).id()));
        assertEquals(1, ctx.metrics().count("documents_rejected"));
        assertEquals(1, ctx.metrics().count("documents_already_present"));
        String log = String.join("\n", ctx.logger().lines());
        assertTrue(log.contains("document_parsing_exception"), log);
        assertFalse(log.contains("private-value"), "a rejected value's preview stays out of the log: " + log);
        assertFalse(failures.get(batch.get(3).id()).toString().contains("private-value"));
    }

    @Test
    void aClusterThatCannotBeReachedIsRetryable() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        TestPluginContext ctx = context("http://127.0.0.1:" + closed, Map.of());
        try (Destination d = destination(ctx)) {
            ExportResult.Retryable r = assertInstanceOf(ExportResult.Retryable.class, d.export(Records.successes(1)));
            assertTrue(r.reason().contains("cannot reach") && r.reason().contains(":" + closed), r.reason());
        }
    }

    @Test
    void httpsWithTheCaCertOfTheSetting(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path pem = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "es", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "es", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(ssl));
        String url = start(https);
        List<CallRecord> batch = Records.successes(1);
        answer = new Answer(200, "{\"errors\":false,\"took\":1,\"items\":[" + item(batch.get(0), 201, null) + "]}", Map.of());

        try (Destination trusting = destination(context(url, Map.of("ca_cert", pem.toString(), "install_template", false)))) {
            assertEquals(ExportResult.success(), trusting.export(batch));
        }
        // Without the CA the server's certificate is not trusted: no request reaches it.
        int before = requests.size();
        try (Destination untrusting = destination(context(url, Map.of("install_template", false)))) {
            assertInstanceOf(ExportResult.Retryable.class, untrusting.export(batch));
        }
        assertEquals(before, requests.size());
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    private static String item(CallRecord r, int status, String errorType) {
        String error = errorType == null ? "" : ",\"error\":{\"type\":\"" + errorType + "\",\"reason\":\"failed to parse"
                + " field [metadata] in document with id '" + r.id() + "'. Preview of field's value: 'private-value'\"}";
        String result = errorType == null ? ",\"result\":\"created\",\"_version\":1" : "";
        return "{\"create\":{\"_index\":\".ds-llmhub-calls-2026.11.26-000001\",\"_id\":\"" + r.id() + "\",\"status\":"
                + status + result + error + "}}";
    }
}
