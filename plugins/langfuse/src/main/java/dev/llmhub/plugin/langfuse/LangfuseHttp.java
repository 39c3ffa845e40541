package dev.llmhub.plugin.langfuse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Posts bodies to Langfuse with Basic auth, once, and reports the answer.
 *
 * <p>No {@code x-langfuse-sdk-name} or {@code x-langfuse-sdk-version}: Langfuse's worker takes any SDK
 * name as its own SDK's traffic and keeps it on the delayed write path (docs/destinations/langfuse.md,
 * "Headers"). The {@code User-Agent} names llmhub for the server's logs; nothing reads it as an SDK.
 *
 * <p>This is the JDK's {@link HttpClient}, not the Helidon WebClient the rest of llmhub uses: inside a
 * plugin, Helidon's HTTP/1 client registers a JVM shutdown hook from a static initializer
 * ({@code Http1ConnectionCache.SHARED}) that can never be removed, so every unload of the plugin would
 * leak its class loader (proved by {@code LangfusePluginZipIT}). The JDK client's classes belong to
 * the JDK, and {@link #close()} stops its thread, so a hot reload leaves nothing behind.
 */
final class LangfuseHttp implements AutoCloseable {
    /** Longest part of an error body kept in a reason: enough to explain, too short to flood a log. */
    private static final int MAX_BODY_IN_REASON = 300;

    private final HttpClient client;
    private final URI host;
    private final Duration timeout;
    private final String authorization;
    private final String userAgent;

    LangfuseHttp(LangfuseSettings settings, String proxyVersion) {
        this.host = settings.host();
        this.timeout = settings.timeout();
        this.userAgent = "llmhub/" + proxyVersion;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (settings.publicKey() + ":" + settings.secretKey()).getBytes(StandardCharsets.UTF_8));
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // HTTP/2 where TLS negotiates it; plain HTTP stays 1.1 (no h2c upgrade dance with proxies).
                .version(host.getScheme().equals("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The answer to one request. */
    record Answer(int status, Optional<String> retryAfter, String body) {
        /** @return the body, shortened for a log line or a reason */
        String bodyExcerpt() {
            String b = body.strip().replaceAll("\\s+", " ");
            return b.length() <= MAX_BODY_IN_REASON ? b : b.substring(0, MAX_BODY_IN_REASON) + "…";
        }
    }

    /**
     * Sends one request.
     *
     * @param path        path under the host, e.g. {@code /api/public/ingestion}
     * @param contentType the body's content type
     * @param body        the body, as it goes on the wire
     * @param headers     more headers: name, value, name, value…
     * @return the answer
     * @throws UncheckedIOException when Langfuse cannot be reached or does not answer in time
     */
    Answer post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host + path))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> res = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(res.statusCode(), res.headers().firstValue("Retry-After"), res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while waiting for Langfuse", e));
        }
    }

    /** @return the host, for messages: it holds no secret (user info is refused in the settings) */
    URI host() {
        return host;
    }

    @Override
    public void close() {
        // Stops the client's selector thread, which would otherwise keep the plugin's loader alive.
        client.shutdownNow();
    }
}
