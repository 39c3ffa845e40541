package dev.llmhub.plugin.langfuse;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1ClientProtocolConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Posts bodies to Langfuse with Basic auth, once, and reports the answer. The Helidon WebClient is
 * built explicitly (HTTP/1.1 only, no service or config discovery, its own connection cache) so that
 * inside the plugin's class loader it never depends on what the host's class path offers, and
 * {@link #close()} releases every connection it opened.
 */
final class LangfuseHttp implements AutoCloseable {
    private static final HeaderName SDK_NAME = HeaderNames.create("x-langfuse-sdk-name");
    private static final HeaderName SDK_VERSION = HeaderNames.create("x-langfuse-sdk-version");
    /** Longest part of an error body kept in a reason: enough to explain, too short to flood a log. */
    private static final int MAX_BODY_IN_REASON = 300;

    private final WebClient client;
    private final URI host;
    private final String authorization;
    private final String sdkVersion;

    LangfuseHttp(LangfuseSettings settings, String sdkVersion) {
        this.host = settings.host();
        this.sdkVersion = sdkVersion;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (settings.publicKey() + ":" + settings.secretKey()).getBytes(StandardCharsets.UTF_8));
        this.client = WebClient.builder()
                .servicesDiscoverServices(false)
                .protocolConfigsDiscoverServices(false)
                .addProtocolConfig(Http1ClientProtocolConfig.create())
                .addProtocolPreference("http/1.1")
                .shareConnectionCache(false)
                .followRedirects(false)
                .connectTimeout(settings.timeout())
                .readTimeout(settings.timeout())
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
     * @param body        the body
     * @return the answer
     * @throws RuntimeException when Langfuse cannot be reached or does not answer in time
     */
    Answer post(String path, String contentType, byte[] body) {
        try (HttpClientResponse res = client.post()
                .uri(URI.create(host + path))
                .header(HeaderNames.AUTHORIZATION, authorization)
                .header(HeaderNames.CONTENT_TYPE, contentType)
                .header(HeaderNames.ACCEPT, "application/json")
                .header(SDK_NAME, "llmhub")
                .header(SDK_VERSION, sdkVersion)
                .submit(body)) {
            int status = res.status().code();
            Optional<String> retryAfter = res.headers().first(HeaderNames.RETRY_AFTER);
            String text = res.entity().hasEntity() ? res.entity().as(String.class) : "";
            return new Answer(status, retryAfter, text);
        }
    }

    /** @return the host, for messages: it holds no secret (user info is refused in the settings) */
    URI host() {
        return host;
    }

    @Override
    public void close() {
        client.closeResource();
    }
}
