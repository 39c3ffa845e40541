package dev.llmhub.plugin.langfuse;

import dev.llmhub.api.PluginConfigException;
import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The destination's settings ({@code callback_settings.langfuse}), each falling back to the
 * environment variable the Langfuse SDKs (and LiteLLM) read, so the seed's config works unchanged.
 *
 * @param publicKey      project public key ({@code pk-lf-…})
 * @param secretKey      project secret key ({@code sk-lf-…}); never logged or shown
 * @param host           Langfuse base URL, without a trailing slash
 * @param release        release shown on traces, when set
 * @param environment    Langfuse environment, when set
 * @param api            which Langfuse endpoint to send to
 * @param timeout        connect and read timeout of one request
 * @param messageLogging whether input and output (messages, response) are sent
 * @param gzip           whether OTLP request bodies are gzip-compressed
 * @param maxRequestBytes most bytes of one request body before compression: larger batches are sent
 *                       as several requests
 */
public record LangfuseSettings(String publicKey, String secretKey, URI host, Optional<String> release,
                               Optional<String> environment, Api api, Duration timeout,
                               boolean messageLogging, boolean gzip, int maxRequestBytes) {

    /** Langfuse Cloud, the default host of the Langfuse SDKs. */
    public static final String DEFAULT_HOST = "https://cloud.langfuse.com";
    /** Langfuse's name for traces sent without an environment or with one it cannot keep. */
    static final String DEFAULT_ENVIRONMENT = "default";
    /**
     * Default {@code max_request_bytes}: Langfuse's documented batch limit for its ingestion API, well
     * under the 4.5 MB its server accepts there and the 16 MB above which its OTLP route warns.
     */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 3_500_000;
    /** Smallest {@code max_request_bytes} accepted: below it nearly every call would be a request of its own. */
    static final int MIN_MAX_REQUEST_BYTES = 10_000;
    /** Default connect and read timeout of one request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The Langfuse endpoint records go to. */
    public enum Api {
        /** {@code POST /api/public/otel/v1/traces}, OTLP/HTTP protobuf: Langfuse Cloud and current servers. */
        OTEL,
        /** {@code POST /api/public/ingestion}, the legacy batch API: self-hosted servers older than v4. */
        INGESTION
    }

    public LangfuseSettings {
        Objects.requireNonNull(publicKey, "publicKey is null");
        Objects.requireNonNull(secretKey, "secretKey is null");
        Objects.requireNonNull(host, "host is null");
        Objects.requireNonNull(release, "release is null");
        Objects.requireNonNull(environment, "environment is null");
        Objects.requireNonNull(api, "api is null");
        Objects.requireNonNull(timeout, "timeout is null");
    }

    /**
     * Reads and checks the settings.
     *
     * @param context the destination's context
     * @return the settings
     * @throws PluginConfigException naming the key (never its value) when one is missing or wrong
     */
    public static LangfuseSettings from(PluginContext context) {
        PluginSettings s = context.settings();
        String prefix = "callback_settings." + context.name() + ".";
        String publicKey = setting(context, "public_key", "LANGFUSE_PUBLIC_KEY")
                .orElseThrow(() -> missing(prefix, "public_key", "LANGFUSE_PUBLIC_KEY"));
        String secretKey = setting(context, "secret_key", "LANGFUSE_SECRET_KEY")
                .orElseThrow(() -> missing(prefix, "secret_key", "LANGFUSE_SECRET_KEY"));
        String hostText = setting(context, "host", "LANGFUSE_HOST")
                .or(() -> context.env("LANGFUSE_BASE_URL"))
                .orElse(DEFAULT_HOST);
        URI host = parseHost(hostText.trim(), prefix);
        Optional<String> release = setting(context, "release", "LANGFUSE_RELEASE");
        Optional<String> environment = setting(context, "environment", "LANGFUSE_TRACING_ENVIRONMENT");
        Api api = parseApi(s.string("api").orElse("otel"), prefix);
        Duration timeout = s.duration("timeout").orElse(DEFAULT_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new PluginConfigException(prefix + "timeout: expected a positive duration such as 10s");
        }
        boolean messageLogging = s.bool("message_logging").orElse(true);
        boolean gzip = parseCompression(s.string("compression").orElse("gzip"), prefix);
        long maxRequestBytes = s.number("max_request_bytes").orElse((long) DEFAULT_MAX_REQUEST_BYTES);
        if (maxRequestBytes < MIN_MAX_REQUEST_BYTES || maxRequestBytes > Integer.MAX_VALUE) {
            throw new PluginConfigException(prefix + "max_request_bytes: expected a number of bytes from "
                    + MIN_MAX_REQUEST_BYTES + " to " + Integer.MAX_VALUE + " (default " + DEFAULT_MAX_REQUEST_BYTES + ")");
        }
        return new LangfuseSettings(publicKey.trim(), secretKey.trim(), host, release, environment, api,
                timeout, messageLogging, gzip, (int) maxRequestBytes);
    }

    /**
     * The environment name Langfuse stores for a given one, by the server's own rule
     * ({@code PublicEnvironmentName} in Langfuse's {@code packages/shared/src/server/ingestion/types.ts},
     * applied to OTLP spans and ingestion events alike): lower-cased, every leading {@code langfuse}
     * (with an optional {@code -} or {@code _}) removed, cut to 40 characters, and {@code default} when
     * the rest is empty or holds anything but {@code a-z}, {@code 0-9}, {@code -} and {@code _}.
     *
     * @param environment an environment name as configured
     * @return the name Langfuse files the traces under
     */
    static String langfuseEnvironment(String environment) {
        String stripped = environment.toLowerCase(Locale.ROOT).replaceFirst("^(?:langfuse[-_]?)+", "");
        String cut = stripped.length() > 40 ? stripped.substring(0, 40) : stripped;
        return cut.matches("[a-z0-9_-]+") ? cut : DEFAULT_ENVIRONMENT;
    }

    /** @return the environment as Langfuse will store it, when one is set */
    Optional<String> langfuseEnvironment() {
        return environment.map(LangfuseSettings::langfuseEnvironment);
    }

    private static Optional<String> setting(PluginContext context, String key, String envName) {
        return context.settings().string(key).or(() -> context.env(envName));
    }

    private static PluginConfigException missing(String prefix, String key, String envName) {
        return new PluginConfigException(prefix + key + " is not set: set it, or the environment variable "
                + envName + " (find the key pair in Langfuse under Project settings > API keys)");
    }

    private static URI parseHost(String text, String prefix) {
        String problem = prefix + "host (or LANGFUSE_HOST): expected an http(s) base URL such as "
                + DEFAULT_HOST + " or http://localhost:3000";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            // The value itself is not shown: a mistyped host line may hold a pasted key.
            throw new PluginConfigException(problem);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new PluginConfigException(problem);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    private static boolean parseCompression(String text, String prefix) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "gzip" -> true;
            case "none" -> false;
            default -> throw new PluginConfigException(prefix + "compression: expected gzip (default) or none "
                    + "(self-hosted Langfuse 3.22 to 3.29, whose OTLP endpoint does not accept gzip), got '" + text + "'");
        };
    }

    private static Api parseApi(String text, String prefix) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "otel", "otlp", "opentelemetry" -> Api.OTEL;
            case "ingestion", "legacy" -> Api.INGESTION;
            default -> throw new PluginConfigException(prefix + "api: expected otel (default, Langfuse Cloud and "
                    + "current servers) or ingestion (self-hosted servers older than v4), got '" + text + "'");
        };
    }

    @Override
    public String toString() {
        // The keys are secrets: show neither.
        return "LangfuseSettings[host=" + host + ", api=" + api.name().toLowerCase(Locale.ROOT)
                + ", messageLogging=" + messageLogging + ", gzip=" + gzip + ", maxRequestBytes=" + maxRequestBytes + "]";
    }
}
