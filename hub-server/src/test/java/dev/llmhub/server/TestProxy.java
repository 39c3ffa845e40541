package dev.llmhub.server;

import dev.llmhub.api.ProxyInfo;
import dev.llmhub.core.config.ConfigLoader;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.delivery.CallSink;
import dev.llmhub.core.gateway.Gateway;
import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real proxy on a loopback ephemeral port, built through {@link Main#routing}, recording into a sink. One
 * for a whole test class: {@code @RegisterExtension static final TestProxy proxy = new TestProxy(yaml);}
 * starts it with the class and closes it after the class.
 */
final class TestProxy implements AutoCloseable, AfterAllCallback {
    final CapturingSink sink = new CapturingSink();
    final Gateway gateway;
    final WebServer server;
    final String base;
    final HttpClient http = HttpClient.newHttpClient();

    TestProxy(String yaml) {
        this(yaml, Map.of());
    }

    TestProxy(String yaml, Map<String, String> env) {
        HubConfig config = new ConfigLoader(env).parse("test.yaml", Path.of("test.yaml"), yaml);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        gateway = new Gateway(config, sink, new ProxyInfo("test", "test"), registry);
        server = WebServer.builder().host("127.0.0.1").port(0).directHandlers(JsonDirectHandler.all())
                .routing(r -> Main.routing(r, gateway, registry, null)).build().start();
        base = "http://127.0.0.1:" + server.port();
    }

    CallSink sink() {
        return sink;
    }

    /**
     * @param body    the request body; null for none
     * @param headers name, value, name, value… (a later value replaces an earlier one of the same name)
     */
    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return send("POST", path, body, headers);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, null, headers);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.stop();
        gateway.close();
        http.close();
    }
}
