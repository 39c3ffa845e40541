package dev.llmhub.plugin.otel;

import dev.llmhub.api.PluginConfigException;
import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * This destination's settings, resolved once at start: {@code callback_settings.otel} wins over the
 * environment, which wins over the defaults. Every malformed value is a {@link PluginConfigException}
 * naming the key; values are never echoed because headers and endpoints can carry credentials.
 *
 * @param endpoint               collector base URL with scheme and port, e.g. {@code http://127.0.0.1:4317}
 * @param protocol               OTLP transport
 * @param headers                headers sent with every export (credentials for the collector)
 * @param serviceName            {@code service.name} of the resource
 * @param resourceAttributes     more resource attributes
 * @param timeout                bound of one export call
 * @param compression            {@code gzip} or {@code none}
 * @param trustedCertificatesPem PEM of the CA to trust for an https endpoint, when not the JDK's
 * @param contentCapture         where message content goes: span attributes, the operation details
 *                               event, both or nowhere
 * @param exportMetrics          whether the GenAI metrics are sent
 * @param estimatedTokenMetrics  whether token counts the proxy estimated (no usage from the provider)
 *                               go into {@code gen_ai.client.token.usage}; the spec makes that opt-in
 */
record OtelSettings(URI endpoint, Protocol protocol, Map<String, String> headers, String serviceName,
                    Map<String, String> resourceAttributes, Duration timeout, String compression,
                    Optional<byte[]> trustedCertificatesPem, ContentCapture contentCapture,
                    boolean exportMetrics, boolean estimatedTokenMetrics) {

    static final String DEFAULT_ENDPOINT = "127.0.0.1:4317";
    static final String DEFAULT_SERVICE_NAME = "llmhub";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    OtelSettings {
        headers = Map.copyOf(headers);
        resourceAttributes = Map.copyOf(resourceAttributes);
    }

    @Override
    public String toString() {
        // Header values are credentials: show names only.
        return "OtelSettings[endpoint=" + endpoint + ", protocol=" + protocol.wireName() + ", headers="
                + headers.keySet() + ", serviceName=" + serviceName + ", timeout=" + timeout
                + ", content=" + contentCapture.name().toLowerCase(Locale.ROOT) + "]";
    }

    /** Where a value came from, so an error can name the exact key the user wrote. */
    private record Found(String where, Object value) {
        String text() {
            return value.toString().trim();
        }
    }

    /**
     * Reads and checks every setting.
     *
     * @param context the destination's context
     * @return the settings
     * @throws PluginConfigException naming the key of the first malformed value
     */
    static OtelSettings from(PluginContext context) {
        Lookup look = new Lookup(context);

        Protocol protocol = look.find(List.of("protocol"), List.of("OTEL_EXPORTER_OTLP_PROTOCOL"))
                .map(f -> Protocol.of(f.text()).orElseThrow(() -> new PluginConfigException(
                        f.where() + ": expected grpc or http/protobuf, got '" + f.text() + "'")))
                .orElse(Protocol.GRPC);

        Found endpointFound = look.find(List.of("endpoint"), List.of("OTEL_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"))
                .orElse(new Found("default", DEFAULT_ENDPOINT));
        URI endpoint = endpoint(endpointFound, protocol);

        Optional<Found> headersFound = look.find(List.of("headers"), List.of("OTEL_EXPORTER_OTLP_HEADERS"));
        Map<String, String> headers = headersFound
                .map(f -> keyValues(f, "headers as name=value pairs separated by commas"))
                .orElse(Map.of());
        for (String name : headers.keySet()) {
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                // The name, unlike the value, is not secret and helps find the typo.
                throw new PluginConfigException(headersFound.orElseThrow().where() + ": '" + name + "' is not a valid header name");
            }
        }

        String serviceName = look.find(List.of("service_name"), List.of("OTEL_SERVICE_NAME"))
                .map(Found::text).orElse(DEFAULT_SERVICE_NAME);

        Map<String, String> resource = new LinkedHashMap<>(look.find(List.of("resource_attributes"), List.of("OTEL_RESOURCE_ATTRIBUTES"))
                .map(f -> keyValues(f, "attributes as key=value pairs separated by commas"))
                .orElse(Map.of()));

        Duration timeout = timeout(look);

        String compression = look.find(List.of("compression"), List.of("OTEL_EXPORTER_OTLP_COMPRESSION"))
                .map(f -> {
                    String c = f.text().toLowerCase(Locale.ROOT);
                    if (!c.equals("gzip") && !c.equals("none")) {
                        throw new PluginConfigException(f.where() + ": expected gzip or none, got '" + f.text() + "'");
                    }
                    return c;
                }).orElse("none");

        Optional<byte[]> certificate = look.find(List.of("certificate"), List.of("OTEL_EXPORTER_OTLP_CERTIFICATE"))
                .map(f -> {
                    byte[] pem;
                    try {
                        pem = Files.readAllBytes(Path.of(f.text()));
                    } catch (IOException | RuntimeException e) {
                        throw new PluginConfigException(f.where() + ": cannot read the certificate file '" + f.text()
                                + "' (" + e.getClass().getSimpleName() + ")");
                    }
                    // Checked here, not when the exporter is built (on a thread of its own, after start).
                    try {
                        if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).isEmpty()) {
                            throw new CertificateException("no certificate in it");
                        }
                    } catch (CertificateException e) {
                        throw new PluginConfigException(f.where() + ": '" + f.text() + "' is not a PEM X.509 certificate ("
                                + e.getMessage() + ")");
                    }
                    return pem;
                });

        // On by default, unlike the conventions' default: the seed shows input and output in the backend.
        ContentCapture capture = look.find(List.of("capture_message_content"),
                        List.of("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"))
                .map(f -> ContentCapture.of(f.value()).orElseThrow(() -> new PluginConfigException(f.where()
                        + ": expected true, false, no_content, span_only, event_only or span_and_event, got '"
                        + f.text() + "'")))
                .orElse(ContentCapture.SPAN_ONLY);
        if (!look.bool("message_logging").orElse(true)) {
            capture = ContentCapture.NO_CONTENT;
        }
        boolean metrics = look.bool("export_metrics").orElse(true);
        boolean estimated = look.bool("estimated_token_metrics").orElse(false);

        return new OtelSettings(endpoint, protocol, headers, serviceName, resource, timeout, compression,
                certificate, capture, metrics, estimated);
    }

    private static URI endpoint(Found found, Protocol protocol) {
        String text = found.text();
        String problem = found.where() + ": expected host:port or http(s)://host:port";
        if (text.isEmpty()) {
            throw new PluginConfigException(problem);
        }
        boolean hasScheme = text.contains("://");
        URI uri;
        try {
            uri = new URI(hasScheme ? text : "http://" + text);
        } catch (URISyntaxException e) {
            throw new PluginConfigException(problem);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new PluginConfigException(problem + " (scheme must be http or https)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new PluginConfigException(problem + " (no host)");
        }
        if (uri.getRawUserInfo() != null) {
            // Credentials belong in headers, where they are never logged; refuse them in a URL.
            throw new PluginConfigException(found.where() + ": put credentials in headers, not in the endpoint URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new PluginConfigException(problem + " (no query or fragment)");
        }
        // "host" or "host:port" without a scheme is the seed's OTEL_ENDPOINT form: plain text, collector port.
        int port = uri.getPort() != -1 ? uri.getPort() : hasScheme ? -1 : protocol.defaultPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme, null, uri.getHost(), port, path.isEmpty() ? null : path, null, null);
        } catch (URISyntaxException e) {
            throw new PluginConfigException(problem);
        }
    }

    private static Duration timeout(Lookup look) {
        Optional<Duration> fromSettings = look.duration("timeout");
        if (fromSettings.isPresent()) {
            return positive(look.whereOf("timeout"), fromSettings.get());
        }
        // OTEL_EXPORTER_OTLP_TIMEOUT is milliseconds, by the OTel specification.
        return look.find(List.of(), List.of("OTEL_EXPORTER_OTLP_TIMEOUT")).map(f -> {
            try {
                return positive(f.where(), Duration.ofMillis(Long.parseLong(f.text())));
            } catch (NumberFormatException e) {
                throw new PluginConfigException(f.where() + ": expected a whole number of milliseconds, got '" + f.text() + "'");
            }
        }).orElse(DEFAULT_TIMEOUT);
    }

    private static Duration positive(String where, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new PluginConfigException(where + ": expected a duration above zero");
        }
        return d;
    }

    private static Map<String, String> keyValues(Found f, String expected) {
        if (f.value() instanceof Map<?, ?> map) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() == null || e.getValue() instanceof Map || e.getValue() instanceof List) {
                    throw new PluginConfigException(f.where() + "." + e.getKey() + ": expected a single value");
                }
                out.put(e.getKey().toString(), e.getValue().toString());
            }
            return out;
        }
        if (f.value() instanceof List) {
            throw new PluginConfigException(f.where() + ": expected " + expected + " or a mapping, got a list");
        }
        return KeyValueList.parse(f.text()).orElseThrow(() -> new PluginConfigException(
                f.where() + ": expected " + expected + " (value not shown: it may hold a secret)"));
    }

    /**
     * Finds a setting under its short name ({@code endpoint}), the environment variable's name or that
     * name in lower case, then in the environment.
     */
    private static final class Lookup {
        private final PluginContext context;
        private final PluginSettings settings;
        private final String prefix;

        Lookup(PluginContext context) {
            this.context = context;
            this.settings = context.settings();
            this.prefix = "callback_settings." + context.name();
        }

        Optional<Found> find(List<String> shortNames, List<String> envNames) {
            for (String key : settingKeys(shortNames, envNames)) {
                Object v = settings.asMap().get(key);
                if (v != null && !(v instanceof String s && s.isBlank())) {
                    return Optional.of(new Found(prefix + "." + key, v));
                }
            }
            for (String env : envNames) {
                Optional<String> v = context.env(env);
                if (v.isPresent()) {
                    return Optional.of(new Found("environment variable " + env, v.get()));
                }
            }
            return Optional.empty();
        }

        String whereOf(String shortName) {
            for (String key : settings.asMap().keySet()) {
                if (key.equalsIgnoreCase(shortName)) {
                    return prefix + "." + key;
                }
            }
            return prefix + "." + shortName + " (or its environment variable)";
        }

        Optional<Boolean> bool(String key) {
            return settings.bool(key);
        }

        Optional<Duration> duration(String key) {
            return settings.duration(key);
        }

        private static List<String> settingKeys(List<String> shortNames, List<String> envNames) {
            List<String> keys = new java.util.ArrayList<>(shortNames);
            for (String env : envNames) {
                keys.add(env);
                keys.add(env.toLowerCase(Locale.ROOT));
            }
            return keys;
        }
    }
}
