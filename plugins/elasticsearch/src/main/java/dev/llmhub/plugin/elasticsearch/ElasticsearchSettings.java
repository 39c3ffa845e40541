package dev.llmhub.plugin.elasticsearch;

import dev.llmhub.api.PluginConfigException;
import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The destination's settings ({@code callback_settings.elasticsearch}), validated: every mistake is a
 * {@link PluginConfigException} that names the key and never shows a secret value.
 *
 * @param hosts             the cluster's HTTP endpoints (scheme, host, port; no credentials)
 * @param pathPrefix        a path every request goes under (a proxy in front of the cluster), or empty
 * @param auth              how requests authenticate
 * @param caCert            PEM file of the certificate authorities to trust for https, when set
 * @param sslContext        a TLS context trusting exactly those, when set
 * @param index             the data stream records are written to
 * @param requestTimeout    how long one request (a whole {@code _bulk}) may take
 * @param installTemplate   whether to install the index template before the first write
 */
record ElasticsearchSettings(List<URI> hosts, String pathPrefix, Auth auth, Optional<Path> caCert,
                             Optional<SSLContext> sslContext,
                             String index, Duration requestTimeout, boolean installTemplate) {

    static final String DEFAULT_INDEX = "llmhub-calls";
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** What Elasticsearch accepts as a data stream name, minus what would make our template odd. */
    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,199}");

    /** How requests authenticate. Its {@code toString} never shows the secret. */
    sealed interface Auth {
        /** No credentials (a cluster without security, or one behind an authenticating proxy). */
        record None() implements Auth {
        }

        /** {@code Authorization: ApiKey <encoded>}. */
        record ApiKey(String encoded) implements Auth {
            @Override
            public String toString() {
                return "ApiKey[***]";
            }
        }

        /** {@code Authorization: Basic ...}. */
        record Basic(String username, String password) implements Auth {
            @Override
            public String toString() {
                return "Basic[" + username + ", ***]";
            }
        }
    }

    /**
     * Reads and checks the settings, falling back to the environment for the connection values.
     *
     * @param context the destination's context
     * @return the settings
     * @throws PluginConfigException naming the key that is wrong
     */
    static ElasticsearchSettings from(PluginContext context) {
        PluginSettings s = context.settings();
        String prefix = "callback_settings." + context.name() + ".";

        List<String> urls = s.list("url").filter(l -> !l.isEmpty())
                .or(() -> context.env("ELASTICSEARCH_URL").map(List::of))
                .orElseThrow(() -> new PluginConfigException(prefix + "url: not set, and neither is ELASTICSEARCH_URL;"
                        + " expected the cluster's address, e.g. http://localhost:9200"));
        List<URI> hosts = new ArrayList<>();
        String pathPrefix = null;
        for (String entry : urls) {
            for (String one : entry.split(",")) {
                if (one.isBlank()) {
                    continue;
                }
                boolean bare = !one.contains("://");
                URI uri = parseUrl(prefix + "url", one.trim());
                String path = uri.getPath() == null || uri.getPath().equals("/") ? "" : stripTrailingSlash(uri.getPath());
                if (pathPrefix != null && !pathPrefix.equals(path)) {
                    throw new PluginConfigException(prefix + "url: every address must have the same path, got '"
                            + pathPrefix + "' and '" + path + "'");
                }
                pathPrefix = path;
                hosts.add(URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + port(uri, bare)));
            }
        }
        if (hosts.isEmpty()) {
            throw new PluginConfigException(prefix + "url: no address given; expected e.g. http://localhost:9200");
        }

        Optional<String> apiKey = s.string("api_key").or(() -> context.env("ELASTICSEARCH_API_KEY"));
        Optional<String> username = s.string("username").or(() -> context.env("ELASTICSEARCH_USERNAME"));
        Optional<String> password = s.string("password").or(() -> context.env("ELASTICSEARCH_PASSWORD"));
        Auth auth;
        if (apiKey.isPresent()) {
            if (s.has("username") || s.has("password")) {
                throw new PluginConfigException(prefix + "api_key: set together with username/password; use one of them");
            }
            auth = new Auth.ApiKey(encodeApiKey(apiKey.get().trim()));
        } else if (username.isPresent() || password.isPresent()) {
            if (username.isEmpty()) {
                throw new PluginConfigException(prefix + "username: not set (nor ELASTICSEARCH_USERNAME) but a password is");
            }
            if (password.isEmpty()) {
                throw new PluginConfigException(prefix + "password: not set (nor ELASTICSEARCH_PASSWORD) but a username is");
            }
            auth = new Auth.Basic(username.get(), password.get());
        } else {
            auth = new Auth.None();
        }

        Optional<Path> caCert = s.string("ca_cert").map(p -> Path.of(p.trim()));
        if (caCert.isPresent() && !Files.isReadable(caCert.get())) {
            throw new PluginConfigException(prefix + "ca_cert: cannot read the file '" + caCert.get()
                    + "'; expected a PEM file of CA certificates");
        }
        if (caCert.isPresent() && hosts.stream().noneMatch(h -> h.getScheme().equals("https"))) {
            throw new PluginConfigException(prefix + "ca_cert: set, but no url uses https");
        }
        Optional<SSLContext> ssl = caCert.map(p -> TrustedCertificates.sslContext(prefix + "ca_cert", p));

        String index = s.string("index").map(String::trim).orElse(DEFAULT_INDEX);
        if (!INDEX_NAME.matcher(index).matches() || index.equals(".") || index.equals("..")) {
            throw new PluginConfigException(prefix + "index: '" + index + "' is not a valid data stream name;"
                    + " expected lower-case letters, digits, '.', '_' or '-', not starting with '.', '_' or '-'");
        }

        Duration timeout = s.duration("request_timeout").orElse(DEFAULT_REQUEST_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new PluginConfigException(prefix + "request_timeout: must be more than zero");
        }
        boolean installTemplate = s.bool("install_template").orElse(true);
        return new ElasticsearchSettings(List.copyOf(hosts), pathPrefix == null ? "" : pathPrefix, auth, caCert, ssl,
                index, timeout, installTemplate);
    }

    /** @return the hosts for log lines: no credentials ever appear in them */
    String hostsForLog() {
        return hosts.stream().map(URI::toString).reduce((a, b) -> a + "," + b).orElse("") + pathPrefix;
    }

    private static URI parseUrl(String key, String value) {
        URI uri;
        try {
            uri = new URI(value.contains("://") ? value : "http://" + value);
        } catch (URISyntaxException e) {
            // The value may carry credentials (user:pass@host): do not echo it.
            throw new PluginConfigException(key + ": not a valid URL; expected e.g. https://es.example.com:9200");
        }
        if (uri.getRawUserInfo() != null) {
            throw new PluginConfigException(key + ": must not contain credentials; use api_key, or username and password");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            // The value itself is not echoed: a mistyped URL may still carry a token.
            throw new PluginConfigException(key + ": must start with http:// or https://, got scheme '" + scheme + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new PluginConfigException(key + ": has no host name; expected e.g. https://es.example.com:9200");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new PluginConfigException(key + ": must not contain a query or fragment");
        }
        return uri;
    }

    /** A bare {@code host} means Elasticsearch's port; a URL without a port means its scheme's port. */
    private static int port(URI uri, boolean bare) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        if (bare) {
            return 9200;
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Elasticsearch wants {@code base64(id:api_key)}, which is what Kibana shows as "Encoded". Accept
     * the {@code id:api_key} form too.
     */
    private static String encodeApiKey(String key) {
        if (key.contains(":")) {
            return java.util.Base64.getEncoder().encodeToString(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return key;
    }
}
