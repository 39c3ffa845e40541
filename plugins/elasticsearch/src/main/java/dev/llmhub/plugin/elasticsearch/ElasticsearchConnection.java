package dev.llmhub.plugin.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.instrumentation.NoopInstrumentation;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;

/**
 * The official client on its Rest5 (Apache httpclient5) transport, configured from the settings: hosts,
 * credentials as a default header, trusted CAs, timeouts. Owns the client's I/O threads, so
 * {@link #close()} must be called for the plugin's class loader to be released.
 */
final class ElasticsearchConnection implements AutoCloseable {
    private final Rest5Client lowLevel;
    private final Rest5ClientTransport transport;
    private final ElasticsearchClient client;

    ElasticsearchConnection(ElasticsearchSettings settings, ObjectMapper mapper) {
        Rest5ClientBuilder builder = Rest5Client.builder(settings.hosts());
        if (!settings.pathPrefix().isEmpty()) {
            builder.setPathPrefix(settings.pathPrefix());
        }
        Header auth = switch (settings.auth()) {
            case ElasticsearchSettings.Auth.None none -> null;
            case ElasticsearchSettings.Auth.ApiKey key -> new BasicHeader(HttpHeaders.AUTHORIZATION, "ApiKey " + key.encoded(), true);
            case ElasticsearchSettings.Auth.Basic basic -> new BasicHeader(HttpHeaders.AUTHORIZATION, "Basic "
                    + Base64.getEncoder().encodeToString((basic.username() + ":" + basic.password())
                    .getBytes(StandardCharsets.UTF_8)), true);
        };
        if (auth != null) {
            builder.setDefaultHeaders(new Header[] {auth});
        }
        settings.sslContext().ifPresent(builder::setSSLContext);
        Duration timeout = settings.requestTimeout();
        Duration connect = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
        builder.setConnectionConfigCallback(c -> c
                .setConnectTimeout(Timeout.of(connect.toMillis(), TimeUnit.MILLISECONDS))
                .setSocketTimeout(Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS)));
        builder.setRequestConfigCallback(r -> r
                .setConnectionRequestTimeout(Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .setResponseTimeout(Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS)));
        // httpclient5 by default resends a request answered 429/503 after its Retry-After: a hidden
        // retry (and wait) inside one export. The core's lane owns retries and backoff.
        builder.setHttpClientConfigCallback(c -> c.disableAutomaticRetries());
        // Bulk bodies of call records compress well (repeated field names, similar text).
        builder.setCompressionEnabled(true);
        this.lowLevel = builder.build();
        // No tracing of our own bulk requests: they would show up as spans of the proxy's traces.
        this.transport = new Rest5ClientTransport(lowLevel, new JacksonJsonpMapper(mapper),
                null /* the client's default options */, NoopInstrumentation.INSTANCE);
        this.client = new ElasticsearchClient(transport);
    }

    /** @return the typed client (bulk) */
    ElasticsearchClient client() {
        return client;
    }

    /** @return the low-level client (templates are sent as the JSON the docs show) */
    Rest5Client lowLevel() {
        return lowLevel;
    }

    @Override
    public void close() throws IOException {
        // Closing the transport closes the low-level client and its I/O reactor threads.
        transport.close();
    }
}
