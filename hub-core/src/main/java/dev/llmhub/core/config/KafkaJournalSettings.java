package dev.llmhub.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code general_settings.journal} with {@code kind: kafka}: the journal is a Kafka topic every replica
 * appends to, read by one consumer group per destination. Plain data, checked by the config loader
 * (file:line errors); {@link #clientProperties()} turns the connection and security keys into the
 * Kafka client settings every client of the journal shares.
 *
 * @param bootstrapServers  {@code bootstrap_servers}: the brokers to start from, {@code host:port}
 * @param topic             {@code topic}: the journal's topic (default {@code llmhub-journal})
 * @param groupPrefix       {@code group_prefix}: a destination's consumer group is this plus its name
 *                          (default {@code llmhub-})
 * @param partitions        {@code partitions}: when llmhub creates the topic, its partition count
 * @param replicationFactor {@code replication_factor}: when llmhub creates the topic; empty = the
 *                          brokers' {@code default.replication.factor}
 * @param appendTimeout     {@code append_timeout}: the longest an answer waits for Kafka's acknowledgement
 * @param security          how the clients connect
 * @param client            {@code client.*}: settings for every Kafka client of the journal, as written
 * @param producer          {@code producer.*}: producer settings, as written (checked against Kafka's definitions)
 * @param consumer          {@code consumer.*}: consumer settings, as written
 */
public record KafkaJournalSettings(List<String> bootstrapServers, String topic, String groupPrefix, int partitions,
                                   Optional<Short> replicationFactor, Duration appendTimeout, Security security,
                                   Map<String, String> client, Map<String, String> producer,
                                   Map<String, String> consumer) {
    /** The topic when none is given. */
    public static final String DEFAULT_TOPIC = "llmhub-journal";
    /** The consumer group prefix when none is given. */
    public static final String DEFAULT_GROUP_PREFIX = "llmhub-";
    /** Partitions of a topic llmhub creates: up to six replicas share each destination's deliveries. */
    public static final int DEFAULT_PARTITIONS = 6;
    /** The longest an answer waits for Kafka when none is given. */
    public static final Duration DEFAULT_APPEND_TIMEOUT = Duration.ofSeconds(5);

    public KafkaJournalSettings {
        bootstrapServers = List.copyOf(Objects.requireNonNull(bootstrapServers, "bootstrapServers is null"));
        Objects.requireNonNull(topic, "topic is null");
        Objects.requireNonNull(groupPrefix, "groupPrefix is null");
        Objects.requireNonNull(replicationFactor, "replicationFactor is null");
        Objects.requireNonNull(appendTimeout, "appendTimeout is null");
        Objects.requireNonNull(security, "security is null");
        client = Map.copyOf(client);
        producer = Map.copyOf(producer);
        consumer = Map.copyOf(consumer);
        if (bootstrapServers.isEmpty()) {
            throw new IllegalArgumentException("bootstrapServers is empty");
        }
    }

    /**
     * How the journal's clients connect ({@code security_protocol}, {@code sasl_*}, {@code ssl_*}).
     *
     * @param protocol      {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
     * @param saslMechanism {@code PLAIN}, {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512}, … (SASL protocols)
     * @param saslUsername  user name for PLAIN and SCRAM
     * @param saslPassword  its password
     * @param caCert        PEM file of the CAs to trust (else the JVM's)
     * @param clientCert    PEM certificate chain for TLS client authentication
     * @param clientKey     PEM private key of that certificate
     * @param keyPassword   the key's password, when it is encrypted
     */
    public record Security(String protocol, Optional<String> saslMechanism, Optional<String> saslUsername,
                           Optional<String> saslPassword, Optional<Path> caCert, Optional<Path> clientCert,
                           Optional<Path> clientKey, Optional<String> keyPassword) {
        public Security {
            Objects.requireNonNull(protocol, "protocol is null");
        }

        /** No TLS, no SASL. */
        public static Security plaintext() {
            return new Security("PLAINTEXT", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** Never shows the passwords. */
        @Override
        public String toString() {
            return "Security[" + protocol + saslMechanism.map(m -> ", " + m).orElse("")
                    + saslUsername.map(u -> ", user " + u).orElse("") + (caCert.isPresent() ? ", CA file" : "")
                    + (clientCert.isPresent() ? ", client certificate" : "") + "]";
        }
    }

    /** @return the consumer group of a destination: {@link #groupPrefix()} plus its name */
    public String groupOf(String destination) {
        return groupPrefix + destination;
    }

    /**
     * @return {@code bootstrap.servers}, the security settings in Kafka's names (PEM files read now)
     *         and {@code client.*}: what the producer, the consumers and the admin client share
     * @throws UncheckedIOException when a PEM file cannot be read
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", String.join(",", bootstrapServers));
        p.put("security.protocol", security.protocol());
        if (security.protocol().startsWith("SASL_")) {
            String mechanism = security.saslMechanism().orElse("PLAIN");
            p.put("sasl.mechanism", mechanism);
            if (security.saslUsername().isPresent()) {
                p.put("sasl.jaas.config", loginModule(mechanism) + " required username=\""
                        + jaasQuote(security.saslUsername().get()) + "\" password=\""
                        + jaasQuote(security.saslPassword().orElse("")) + "\";");
            }
        }
        security.caCert().ifPresent(ca -> {
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.location", ca.toString());
        });
        if (security.clientCert().isPresent() && security.clientKey().isPresent()) {
            p.put("ssl.keystore.type", "PEM");
            p.put("ssl.keystore.certificate.chain", read(security.clientCert().get()));
            p.put("ssl.keystore.key", read(security.clientKey().get()));
            security.keyPassword().ifPresent(pw -> p.put("ssl.key.password", pw));
        }
        p.putAll(client);
        return p;
    }

    /** @return values that must never reach a log line or the admin API (passwords, keys) */
    public List<String> secrets() {
        List<String> out = new ArrayList<>();
        security.saslPassword().ifPresent(out::add);
        security.saslPassword().map(KafkaJournalSettings::jaasQuote).ifPresent(out::add);
        security.keyPassword().ifPresent(out::add);
        for (Map<String, String> m : List.of(client, producer, consumer)) {
            m.forEach((k, v) -> {
                if (isSecretKey(k)) {
                    out.add(v);
                }
            });
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    /** @param kafkaKey a Kafka client setting @return whether its value is a secret (passwords, JAAS, keys) */
    public static boolean isSecretKey(String kafkaKey) {
        return kafkaKey.contains("password") || kafkaKey.contains("jaas") || kafkaKey.contains("secret")
                || kafkaKey.equals("ssl.keystore.key") || kafkaKey.contains("token");
    }

    /** The login module PLAIN and SCRAM use; other mechanisms configure {@code client.sasl.jaas.config}. */
    static String loginModule(String mechanism) {
        return switch (mechanism) {
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
            case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
            default -> throw new IllegalArgumentException("no user/password login for SASL mechanism " + mechanism);
        };
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** JAAS option values are double-quoted; a quote or backslash inside is escaped. */
    private static String jaasQuote(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Shows no secret: pass-through values of secret keys are hidden. */
    @Override
    public String toString() {
        return "KafkaJournalSettings[" + String.join(",", bootstrapServers) + ", topic " + topic + ", groups "
                + groupPrefix + "<name>, " + security + ", client " + hidden(client) + ", producer " + hidden(producer)
                + ", consumer " + hidden(consumer) + "]";
    }

    private static Map<String, String> hidden(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, isSecretKey(k) ? "[REDACTED]" : v));
        return out;
    }
}
