package dev.llmhub.plugin.kafka;

import dev.llmhub.api.PluginConfigException;
import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginSettings;
import dev.llmhub.plugin.kit.KafkaBootstrapServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The destination's settings ({@code callback_settings.kafka}), checked and turned into the producer's
 * configuration. Every mistake is a {@link PluginConfigException} naming the key; no message shows a
 * password.
 *
 * @param topic            where every record goes
 * @param bootstrapServers the brokers to start from, {@code host:port}
 * @param idempotent       whether the producer is idempotent ({@code acks: all})
 * @param producerConfig   the complete producer configuration
 * @param waitLimit        the longest one export waits: {@code max.block.ms} (metadata) plus
 *                         {@code delivery.timeout.ms} (every send's outcome), plus a second
 * @param secrets          values that must never appear in a log line or an export result
 */
record KafkaSettings(String topic, List<String> bootstrapServers, boolean idempotent, Map<String, Object> producerConfig,
                     Duration waitLimit, List<String> secrets) {

    static final String DEFAULT_TOPIC = "llmhub-calls";
    static final String DEFAULT_ACKS = "all";
    static final String DEFAULT_COMPRESSION = "zstd";
    /** The core's default {@code export_timeout}: the producer's own timeouts are cut to fit in it. */
    static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(30);

    /** Kafka's legal topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern CONFIG_NAME = Pattern.compile("(?:for configuration|configuration) \"?([a-z0-9._-]+)\"?");
    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final List<String> COMPRESSIONS = List.of("none", "gzip", "snappy", "lz4", "zstd");
    /** Producer settings that have a first-class key here, or that this destination must own. */
    private static final Map<String, String> NOT_PASSED_THROUGH = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "use bootstrap_servers",
            ProducerConfig.ACKS_CONFIG, "use acks",
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "use compression",
            CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "use security_protocol",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "keys are the call ids, written by the destination",
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "values are the call record JSON, written by the destination",
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "the destination does not use transactions; the idempotent producer"
                    + " already keeps retries from duplicating");

    /**
     * Reads and checks the settings.
     *
     * @param context the destination's context
     * @return the settings
     * @throws PluginConfigException naming the key that is wrong
     */
    static KafkaSettings from(PluginContext context) {
        PluginSettings s = context.settings();
        String prefix = "callback_settings." + context.name() + ".";
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, String> keyOf = new LinkedHashMap<>(); // producer setting -> the key that set it, for messages
        List<String> secrets = new ArrayList<>();

        List<String> servers = bootstrapServers(prefix, s, context);
        put(config, keyOf, ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", servers), "bootstrap_servers");

        String topic = s.string("topic").map(String::trim).orElse(DEFAULT_TOPIC);
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new PluginConfigException(prefix + "topic: '" + topic + "' is not a valid Kafka topic name;"
                    + " expected 1 to 249 letters, digits, '.', '_' or '-'");
        }

        String acks = s.string("acks").map(a -> a.trim().toLowerCase(Locale.ROOT)).orElse(DEFAULT_ACKS);
        if (acks.equals("-1")) {
            acks = "all";
        }
        if (!List.of("all", "1", "0").contains(acks)) {
            throw new PluginConfigException(prefix + "acks: expected all, 1 or 0, got '" + acks + "'");
        }
        put(config, keyOf, ProducerConfig.ACKS_CONFIG, acks, "acks");
        boolean idempotent = acks.equals("all");
        // Idempotence needs acks=all; with less the producer is plainly at-least-once (docs).
        put(config, keyOf, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent, "acks");

        String compression = s.string("compression").map(c -> c.trim().toLowerCase(Locale.ROOT)).orElse(DEFAULT_COMPRESSION);
        if (!COMPRESSIONS.contains(compression)) {
            throw new PluginConfigException(prefix + "compression: expected one of " + COMPRESSIONS + ", got '" + compression + "'");
        }
        put(config, keyOf, ProducerConfig.COMPRESSION_TYPE_CONFIG, compression, "compression");

        // Keys and values are bytes the destination writes (CallMessages).
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // A client id of its own per producer: two class loaders (a hot swap) must not share JMX names.
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "llmhub-" + context.name() + "-" + UUID.randomUUID().toString().substring(0, 8));

        security(prefix, s, context, config, keyOf, secrets);
        passThrough(prefix, s, config, keyOf, secrets, context.logger());

        // The producer's own waits are cut to fit in the core's export_timeout, so every send has its
        // outcome before the lane gives up on the export (docs/destinations/kafka.md); a producer.*
        // value given for one of them wins.
        Duration exportTimeout = s.duration("export_timeout").orElse(DEFAULT_EXPORT_TIMEOUT);
        long budget = Math.max(3000, exportTimeout.toMillis());
        if (!config.containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
            put(config, keyOf, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                    Math.max(1000, budget * 2 / 3 - 1000)), "export_timeout");
        }
        if (!config.containsKey(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)) {
            long delivery = wholeNumber(config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
            put(config, keyOf, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, Math.min(30_000, delivery / 2)),
                    "export_timeout");
        }
        if (!config.containsKey(ProducerConfig.MAX_BLOCK_MS_CONFIG)) {
            put(config, keyOf, ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(60_000L, budget / 6), "export_timeout");
        }

        Map<String, Object> parsed = validate(prefix, config, keyOf, secrets);
        if (idempotent && Boolean.FALSE.equals(parsed.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))) {
            idempotent = false;
        }
        if (!acks.equals("all") && Boolean.TRUE.equals(parsed.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))) {
            throw new PluginConfigException(prefix + "acks: the idempotent producer (producer.enable.idempotence: true)"
                    + " needs acks: all, got " + acks);
        }
        if (idempotent && number(parsed, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION) > 5) {
            throw new PluginConfigException(prefix + keyOf.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)
                    + ": the idempotent producer allows at most 5 requests in flight");
        }
        long deliveryMs = number(parsed, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        long lingerMs = number(parsed, ProducerConfig.LINGER_MS_CONFIG);
        long requestMs = number(parsed, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        if (deliveryMs < lingerMs + requestMs) {
            throw new PluginConfigException(prefix + keyOf.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)
                    + ": delivery.timeout.ms (" + deliveryMs + ") must be at least linger.ms + request.timeout.ms ("
                    + (lingerMs + requestMs) + ")");
        }
        Duration waitLimit = Duration.ofMillis(number(parsed, ProducerConfig.MAX_BLOCK_MS_CONFIG) + deliveryMs + 1000);
        if (waitLimit.compareTo(exportTimeout) >= 0) {
            context.logger().log(System.Logger.Level.WARNING, prefix + "export_timeout (" + exportTimeout.toMillis()
                    + " ms) is shorter than max.block.ms + delivery.timeout.ms + 1 s (" + waitLimit.toMillis() + " ms):"
                    + " the lane may give up on an export whose messages the producer still sends, and its retry may"
                    + " duplicate them; lower producer.delivery.timeout.ms / producer.max.block.ms or raise export_timeout");
        }
        return new KafkaSettings(topic, List.copyOf(servers), idempotent, Map.copyOf(config), waitLimit, List.copyOf(secrets));
    }

    /** @return the bootstrap servers for log lines (they carry no credentials) */
    String bootstrapForLog() {
        return String.join(",", bootstrapServers);
    }

    /** @return the security protocol in use */
    String securityProtocol() {
        return String.valueOf(producerConfig.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"));
    }

    /** @param text a message that may quote a configured value @return it with every secret replaced */
    String scrub(String text) {
        String out = text == null ? "" : text;
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }

    private static List<String> bootstrapServers(String prefix, PluginSettings s, PluginContext context) {
        List<String> raw = s.list("bootstrap_servers").filter(l -> !l.isEmpty())
                .or(() -> context.env("KAFKA_BOOTSTRAP_SERVERS").map(List::of))
                .orElseThrow(() -> new PluginConfigException(prefix + "bootstrap_servers: not set, and neither is"
                        + " KAFKA_BOOTSTRAP_SERVERS; expected the brokers' host:port, e.g. kafka-1:9092,kafka-2:9092"));
        List<String> out;
        try {
            out = KafkaBootstrapServers.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new PluginConfigException(prefix + "bootstrap_servers: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new PluginConfigException(prefix + "bootstrap_servers: no server given; expected e.g. kafka-1:9092");
        }
        return out;
    }

    private static void security(String prefix, PluginSettings s, PluginContext context, Map<String, Object> config,
                                 Map<String, String> keyOf, List<String> secrets) {
        Optional<String> mechanism = s.string("sasl_mechanism").map(m -> m.trim().toUpperCase(Locale.ROOT));
        Optional<String> username = s.string("sasl_username").or(() -> context.env("KAFKA_SASL_USERNAME"));
        Optional<String> password = s.string("sasl_password").or(() -> context.env("KAFKA_SASL_PASSWORD"));
        password.ifPresent(secrets::add);
        Optional<Path> ca = file(prefix, s, "ssl_ca_cert");
        Optional<Path> cert = file(prefix, s, "ssl_cert");
        Optional<Path> key = file(prefix, s, "ssl_key");
        boolean sasl = mechanism.isPresent() || username.isPresent() || password.isPresent();
        boolean tlsFiles = ca.isPresent() || cert.isPresent() || key.isPresent();

        String protocol = s.string("security_protocol").map(p -> p.trim().toUpperCase(Locale.ROOT))
                .orElse(sasl ? "SASL_SSL" : tlsFiles ? "SSL" : "PLAINTEXT");
        if (!PROTOCOLS.contains(protocol)) {
            throw new PluginConfigException(prefix + "security_protocol: expected one of " + PROTOCOLS + ", got '" + protocol + "'");
        }
        put(config, keyOf, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol, "security_protocol");
        boolean saslProtocol = protocol.startsWith("SASL_");
        boolean tlsProtocol = protocol.endsWith("SSL");
        if (sasl && !saslProtocol) {
            throw new PluginConfigException(prefix + "security_protocol: " + protocol + " does not authenticate with SASL,"
                    + " but sasl_* settings are given; use SASL_SSL (or SASL_PLAINTEXT)");
        }
        if (tlsFiles && !tlsProtocol) {
            throw new PluginConfigException(prefix + "security_protocol: " + protocol + " does not use TLS, but ssl_*"
                    + " files are given; use SSL or SASL_SSL");
        }

        if (saslProtocol) {
            String m = mechanism.orElse("PLAIN");
            put(config, keyOf, SaslConfigs.SASL_MECHANISM, m, "sasl_mechanism");
            if (username.isPresent() || password.isPresent()) {
                String module = switch (m) {
                    case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
                    case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
                    default -> throw new PluginConfigException(prefix + "sasl_username: user name and password work with"
                            + " PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512; for " + m + " set producer.sasl.jaas.config");
                };
                if (username.isEmpty()) {
                    throw new PluginConfigException(prefix + "sasl_username: not set (nor KAFKA_SASL_USERNAME) but a password is");
                }
                if (password.isEmpty()) {
                    throw new PluginConfigException(prefix + "sasl_password: not set (nor KAFKA_SASL_PASSWORD) but a user name is");
                }
                String jaas = module + " required username=\"" + jaasQuote(username.get()) + "\" password=\""
                        + jaasQuote(password.get()) + "\";";
                put(config, keyOf, SaslConfigs.SASL_JAAS_CONFIG, jaas, "sasl_password");
                secrets.add(jaasQuote(password.get()));
            }
        }
        if (ca.isPresent()) {
            put(config, keyOf, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM", "ssl_ca_cert");
            put(config, keyOf, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ca.get().toString(), "ssl_ca_cert");
        }
        if (cert.isPresent() != key.isPresent()) {
            throw new PluginConfigException(prefix + (cert.isPresent() ? "ssl_key" : "ssl_cert")
                    + ": a client certificate needs both ssl_cert and ssl_key (PEM files)");
        }
        if (cert.isPresent()) {
            String keyPem = read(prefix + "ssl_key", key.get());
            secrets.add(keyPem);
            put(config, keyOf, SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM", "ssl_cert");
            put(config, keyOf, SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, read(prefix + "ssl_cert", cert.get()), "ssl_cert");
            put(config, keyOf, SslConfigs.SSL_KEYSTORE_KEY_CONFIG, keyPem, "ssl_key");
            s.string("ssl_key_password").ifPresent(p -> {
                secrets.add(p);
                put(config, keyOf, SslConfigs.SSL_KEY_PASSWORD_CONFIG, p, "ssl_key_password");
            });
        }
    }

    /** {@code producer.<setting>: value} keys, and a {@code producer:} mapping, go to the producer as they are. */
    private static void passThrough(String prefix, PluginSettings s, Map<String, Object> config, Map<String, String> keyOf,
                                    List<String> secrets, System.Logger logger) {
        Map<String, Object> extra = new LinkedHashMap<>();
        s.map("producer").ifPresent(m -> m.forEach((k, v) -> extra.put("producer." + k, v)));
        s.asMap().forEach((k, v) -> {
            if (k.startsWith("producer.")) {
                extra.put(k, v);
            }
        });
        Map<String, ConfigDef.ConfigKey> known = ProducerConfig.configDef().configKeys();
        extra.forEach((ourKey, value) -> {
            String name = ourKey.substring("producer.".length());
            if (NOT_PASSED_THROUGH.containsKey(name)) {
                throw new PluginConfigException(prefix + ourKey + ": not accepted here; " + NOT_PASSED_THROUGH.get(name));
            }
            Object v;
            if (value instanceof List<?> l) {
                v = String.join(",", l.stream().map(String::valueOf).toList());
            } else if (value == null || value instanceof Map) {
                throw new PluginConfigException(prefix + ourKey + ": expected a value, got " + (value == null ? "nothing" : "a mapping"));
            } else {
                v = String.valueOf(value);
            }
            ConfigDef.ConfigKey def = known.get(name);
            if (def == null) {
                // Kafka itself only logs these (a custom partitioner or interceptor may read its own keys).
                logger.log(System.Logger.Level.WARNING, prefix + ourKey + ": not a Kafka producer setting; passed on,"
                        + " but the producer itself does not use it (a typo?)");
            }
            if (def != null && def.type == ConfigDef.Type.PASSWORD || name.contains("password") || name.contains("jaas")
                    || name.contains("secret")) {
                secrets.add((String) v);
            }
            put(config, keyOf, name, v, ourKey);
        });
    }

    /** Checks every value with the producer's own definitions, naming our key when one is wrong. */
    private static Map<String, Object> validate(String prefix, Map<String, Object> config, Map<String, String> keyOf,
                                                List<String> secrets) {
        try {
            return ProducerConfig.configDef().parse(config);
        } catch (ConfigException e) {
            String message = e.getMessage() == null ? "invalid" : e.getMessage();
            Matcher m = CONFIG_NAME.matcher(message);
            String key = m.find() ? keyOf.getOrDefault(m.group(1), "producer." + m.group(1)) : "producer";
            String text = message;
            for (String secret : secrets) {
                text = secret.isEmpty() ? text : text.replace(secret, "***");
            }
            throw new PluginConfigException(prefix + key + ": " + text);
        }
    }

    /** @return a value given as a number or text, or 0 when it is neither (the validation says why) */
    private static long wholeNumber(Object value) {
        try {
            return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long number(Map<String, Object> parsed, String name) {
        return ((Number) parsed.get(name)).longValue();
    }

    private static void put(Map<String, Object> config, Map<String, String> keyOf, String name, Object value, String ourKey) {
        config.put(name, value);
        keyOf.put(name, ourKey);
    }

    private static Optional<Path> file(String prefix, PluginSettings s, String key) {
        Optional<Path> p = s.string(key).map(v -> Path.of(v.trim()));
        if (p.isPresent() && !Files.isReadable(p.get())) {
            throw new PluginConfigException(prefix + key + ": cannot read the file '" + p.get() + "'; expected a PEM file");
        }
        return p;
    }

    private static String read(String key, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PluginConfigException(key + ": cannot read the file '" + file + "': " + e.getMessage());
        }
    }

    /** JAAS option values are double-quoted; a quote or backslash inside is escaped. */
    private static String jaasQuote(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
