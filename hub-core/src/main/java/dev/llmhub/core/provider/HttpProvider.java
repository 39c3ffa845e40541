package dev.llmhub.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.config.DeploymentConfig;
import dev.llmhub.core.config.ProviderKind;
import dev.llmhub.core.delivery.RedactionPolicy;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * OpenAI, Azure OpenAI, OpenAI-compatible servers and Anthropic over one pooled Helidon
 * {@link WebClient} per deployment. The flavours differ in URL, auth headers and the APIs they serve:
 * <ul>
 *   <li>OpenAI / compatible: {@code <api_base>/chat/completions} (also {@code /completions},
 *       {@code /embeddings}, {@code /responses}), {@code Authorization: Bearer <key>}</li>
 *   <li>Azure: {@code <api_base>/openai/deployments/<deployment>/chat/completions?api-version=<v>},
 *       {@code api-key: <key>}</li>
 *   <li>Anthropic: {@code <api_base>/v1/messages}, {@code x-api-key: <key>},
 *       {@code anthropic-version: 2023-06-01}; a 529 (overloaded) is answered as a retryable 503
 *       whose provider code is {@code overloaded_error}</li>
 * </ul>
 */
public final class HttpProvider implements Provider {
    /** OpenAI's public endpoint, when a deployment sets no {@code api_base}. */
    public static final String OPENAI_BASE = "https://api.openai.com/v1";
    /** Azure API version used when none is configured (the current GA one). */
    public static final String AZURE_DEFAULT_VERSION = "2024-10-21";
    /** Anthropic's public endpoint, when a deployment sets no {@code api_base}. */
    public static final String ANTHROPIC_BASE = "https://api.anthropic.com";
    /** The {@code anthropic-version} header sent upstream (the current and only stable version). */
    public static final String ANTHROPIC_VERSION = "2023-06-01";
    private static final int ANTHROPIC_OVERLOADED = 529;

    private final ProviderKind kind;
    private final WebClient client;
    /** The client's HTTP/1.1 side, used directly: a generic request discovers the protocol on every call. */
    private final Http1Client http1;
    private final UpstreamConnections connections;
    private final String basePath;
    private final String publicOrigin;
    private final String publicBase;
    private final String deployment;
    private final String apiVersion;
    private final String apiKey;

    /** @param config an {@code openai} or {@code azure} deployment */
    public HttpProvider(DeploymentConfig config) {
        if (config.provider() == ProviderKind.MOCK) {
            throw new IllegalArgumentException("mock deployments use MockProvider");
        }
        this.kind = config.provider();
        String base = config.apiBase().orElse(kind == ProviderKind.ANTHROPIC ? ANTHROPIC_BASE : OPENAI_BASE);
        // Userinfo, query and fragment go by the one rule for api_base (a key may hide there): upstream
        // calls use none of them, and records show what is left.
        URI uri = URI.create(RedactionPolicy.stripApiBase(base.strip()));
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (kind == ProviderKind.ANTHROPIC) {
            // LiteLLM users write the base with or without /v1 or the whole /v1/messages URL
            path = path.replaceFirst("(/v1)?(/messages)?$", "");
        }
        this.basePath = path;
        String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        this.publicOrigin = origin;
        this.publicBase = origin + path;
        this.deployment = config.upstreamModel();
        this.apiVersion = config.apiVersion().orElse(AZURE_DEFAULT_VERSION);
        this.apiKey = config.apiKey().orElse(null);
        WebClientConfig.Builder builder = WebClient.builder();
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            // Without this the builder makes its default TLS context, loading the JDK's trust store: a
            // quarter of a second on the start's critical path for an upstream that never uses it.
            builder.tls(UpstreamConnections.NO_TLS);
        }
        this.client = builder
                .baseUri(origin)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(false)
                .build();
        this.http1 = client.client(Http1Client.PROTOCOL);
        this.connections = UpstreamConnections.of(client, URI.create(origin));
    }

    @Override
    public ProviderKind kind() {
        return kind;
    }

    @Override
    public String apiBase() {
        return publicBase;
    }

    @Override
    public boolean speaks(CallType api) {
        return switch (kind) {
            case ANTHROPIC -> api == CallType.MESSAGES;
            case AZURE -> api == CallType.CHAT || api == CallType.COMPLETION || api == CallType.EMBEDDING;
            default -> api != CallType.MESSAGES && api != CallType.OTHER;
        };
    }

    @Override
    public ObjectNode call(UpstreamRequest request) {
        try (HttpClientResponse res = send(request)) {
            int status = res.status().code();
            byte[] bytes = readAll(res);
            if (status / 100 != 2) {
                throw errorFrom(status, bytes, res.headers().first(HeaderNames.RETRY_AFTER).orElse(null));
            }
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new UpstreamException(502, "api_error", "the upstream answered with invalid JSON",
                        Optional.empty(), true, Optional.empty());
            }
            if (!(node instanceof ObjectNode obj)) {
                throw new UpstreamException(502, "api_error", "the upstream answered with a non-object JSON body",
                        Optional.empty(), true, Optional.empty());
            }
            return obj;
        } catch (UpstreamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw transportError(e, request.timeout());
        }
    }

    @Override
    public ChunkStream stream(UpstreamRequest request) {
        HttpClientResponse res;
        try {
            res = send(request);
        } catch (RuntimeException e) {
            throw transportError(e, request.timeout());
        }
        int status = res.status().code();
        if (status / 100 != 2) {
            try (res) {
                throw errorFrom(status, readAll(res),
                        res.headers().first(HeaderNames.RETRY_AFTER).orElse(null));
            } catch (UncheckedIOException e) {
                throw transportError(e, request.timeout());
            }
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(res.inputStream(), StandardCharsets.UTF_8));
        Duration timeout = request.timeout();
        return new ChunkStream() {
            private boolean done;
            private boolean finished;

            @Override
            public Optional<ObjectNode> next() {
                if (done) {
                    return Optional.empty();
                }
                try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (!line.startsWith("data:")) {
                            continue; // comments, event names, blank separators
                        }
                        String data = line.substring(5).strip();
                        if (data.equals("[DONE]")) {
                            done = true;
                            return Optional.empty();
                        }
                        JsonNode node = Json.MAPPER.readTree(data);
                        if (node.hasNonNull("error") || "error".equals(node.path("type").asText())) {
                            throw errorFrom(500, data.getBytes(StandardCharsets.UTF_8), null);
                        }
                        if (node instanceof ObjectNode obj) {
                            finished |= isLast(obj);
                            return Optional.of(obj);
                        }
                    }
                    done = true;
                    if (!finished) {
                        // no [DONE] and no finish_reason: the upstream broke off, the answer is incomplete
                        throw new UpstreamException(502, "api_error", "upstream " + kind.wireName()
                                + " closed the stream before it finished", Optional.empty(), false, Optional.empty());
                    }
                    return Optional.empty();
                } catch (IOException | RuntimeException e) {
                    if (e instanceof UpstreamException u) {
                        throw u;
                    }
                    throw transportError(e, timeout);
                }
            }

            @Override
            public void close() {
                res.close();
            }
        };
    }

    @Override
    public Optional<String> url(CallType callType) {
        return Optional.of(publicOrigin + path(callType));
    }

    /** @return whether a stream event says the answer is complete (so a close after it is not a break-off) */
    private static boolean isLast(ObjectNode event) {
        for (JsonNode c : event.path("choices")) {
            if (c.path("finish_reason").isTextual()) {
                return true;
            }
        }
        String type = event.path("type").asText("");
        return type.equals("message_stop") || type.equals("response.completed") || type.equals("response.incomplete")
                || type.equals("response.failed");
    }

    private String path(CallType callType) {
        String endpoint = switch (callType) {
            case CHAT -> "/chat/completions";
            case COMPLETION -> "/completions";
            case EMBEDDING -> "/embeddings";
            case RESPONSES -> "/responses";
            case MESSAGES -> "/v1/messages";
            case OTHER -> throw new IllegalArgumentException("no upstream endpoint serves " + callType);
        };
        return kind == ProviderKind.AZURE
                ? basePath + "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8) + endpoint
                : basePath + endpoint;
    }

    private HttpClientResponse send(UpstreamRequest request) {
        if (!speaks(request.callType())) {
            throw new IllegalArgumentException(kind.wireName() + " does not serve " + request.callType());
        }
        Http1ClientRequest req = http1.post(path(request.callType()));
        if (kind == ProviderKind.AZURE) {
            req.queryParam("api-version", apiVersion);
        }
        req
                .readTimeout(request.timeout())
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.ACCEPT, request.body().path("stream").asBoolean(false)
                        ? "text/event-stream" : "application/json");
        if (kind == ProviderKind.ANTHROPIC) {
            req.header(HeaderNames.create("anthropic-version"), ANTHROPIC_VERSION);
        }
        request.headers().forEach((name, value) -> req.header(HeaderNames.create(name), value));
        if (apiKey != null) {
            if (kind == ProviderKind.AZURE) {
                req.header(HeaderNames.create("api-key"), apiKey);
            } else if (kind == ProviderKind.ANTHROPIC) {
                req.header(HeaderNames.create("x-api-key"), apiKey);
            } else {
                req.header(HeaderNames.AUTHORIZATION, "Bearer " + apiKey);
            }
        }
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Taken last: from here the request gives the connection back or closes it.
        return req.connection(connections.take()).submit(body);
    }

    private UpstreamException errorFrom(int status, byte[] body, String retryAfter) {
        String message = null;
        String code = null;
        String type = null;
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            JsonNode error = node.path("error");
            if (error.isObject()) {
                message = error.path("message").asText(null);
                code = error.hasNonNull("code") ? error.get("code").asText() : null;
                type = error.path("type").asText(null);
            } else if (error.isTextual()) {
                message = error.asText();
            } else if (node.path("message").isTextual()) {
                // a Responses stream's error event: {"type":"error","code","message","param"}
                message = node.get("message").asText();
                code = node.hasNonNull("code") ? node.get("code").asText() : null;
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: fall back to the raw text below
        }
        if (message == null) {
            message = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        }
        int clientStatus = status >= 400 ? status : 502;
        String clientType = type != null && !type.isBlank() ? type : UpstreamException.typeFor(clientStatus);
        if (kind == ProviderKind.ANTHROPIC) {
            // Anthropic's error types are not OpenAI's: keep theirs as the provider code, 529 (overloaded) as 503
            clientStatus = status == ANTHROPIC_OVERLOADED ? 503 : clientStatus;
            code = type != null && !type.isBlank() ? type : code;
            clientType = UpstreamException.typeFor(clientStatus);
        }
        return new UpstreamException(clientStatus, clientType,
                "upstream " + kind.wireName() + " returned " + status + ": " + SecretScrubber.scrub(message, apiKey),
                Optional.ofNullable(code), UpstreamException.retryableStatus(status),
                ExportResult.parseRetryAfter(retryAfter));
    }

    private UpstreamException transportError(Exception e, Duration timeout) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
                return new UpstreamException(408, "timeout", "upstream " + kind.wireName() + " timed out after "
                        + timeout.toMillis() + " ms", Optional.empty(), true, Optional.empty());
            }
            if (t instanceof ConnectException || t instanceof java.nio.channels.UnresolvedAddressException
                    || t instanceof java.net.UnknownHostException) {
                return new UpstreamException(502, "api_connection_error", "cannot connect to upstream "
                        + publicBase, Optional.empty(), true, Optional.empty());
            }
        }
        return new UpstreamException(502, "api_connection_error", "upstream " + publicBase + " failed: "
                + SecretScrubber.scrub(e.getClass().getSimpleName() + ": " + e.getMessage(), apiKey),
                Optional.empty(), true, Optional.empty());
    }

    /**
     * Reads a whole answer; with a Content-Length (and no Content-Encoding, which changes the length),
     * exactly that into one array: readAllBytes starts with a 16 KiB chunk and copies it.
     */
    private static byte[] readAll(HttpClientResponse res) {
        java.util.OptionalLong length = res.headers().contentLength();
        try (InputStream in = res.inputStream()) {
            return length.isPresent() && length.getAsLong() < Integer.MAX_VALUE - 8
                    && !res.headers().contains(HeaderNames.CONTENT_ENCODING)
                    ? in.readNBytes((int) length.getAsLong()) : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.closeResource();
    }

    @Override
    public String toString() {
        return "HttpProvider[" + kind.wireName() + " " + publicBase + "]";
    }
}
