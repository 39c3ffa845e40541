package dev.llmhub.core.config;

import dev.llmhub.core.journal.Durability;
import dev.llmhub.plugin.kit.KafkaBootstrapServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads {@code general_settings.journal} when its {@code kind} is {@code kafka}. Every value is checked
 * where it is written — {@code producer.*}, {@code consumer.*} and {@code client.*} against Kafka's own
 * definitions of those settings — so a mistake stops startup (or refuses a reload) with
 * {@code FILE:LINE: key: problem}, never when the first client is built.
 */
final class KafkaJournalSection {
    /** The keys of {@code journal} this section reads (besides {@code kind}, {@code max_disk}, {@code max_age}). */
    static final Set<String> KEYS = Set.of("bootstrap_servers", "topic", "group_prefix", "partitions",
            "replication_factor", "append_timeout", "security_protocol", "sasl_mechanism", "sasl_username",
            "sasl_password", "ssl_ca_cert", "ssl_cert", "ssl_key", "ssl_key_password", "client", "producer", "consumer");
    /** Pass-through prefixes: {@code producer.linger.ms: 5} or {@code producer: {linger.ms: 5}}. */
    static final List<String> PASS_THROUGH = List.of("client", "producer", "consumer");

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    /** Settings the journal owns, and where to set what they do instead. */
    private static final Map<String, String> OWNED = Map.ofEntries(
            Map.entry("bootstrap.servers", "use journal.bootstrap_servers"),
            Map.entry("security.protocol", "use journal.security_protocol"),
            Map.entry("acks", "set by general_settings.durability (process: 1, fsync: all, memory: 0)"),
            Map.entry("key.serializer", "keys are the call ids, written by the journal"),
            Map.entry("value.serializer", "values are the call record JSON, written by the journal"),
            Map.entry("key.deserializer", "the journal reads keys and values as bytes"),
            Map.entry("value.deserializer", "the journal reads keys and values as bytes"),
            Map.entry("transactional.id", "the journal does not use transactions"),
            Map.entry("group.id", "each destination's group is journal.group_prefix plus its name"),
            Map.entry("enable.auto.commit", "the journal commits what destinations acknowledged"),
            Map.entry("auto.offset.reset", "a new destination starts where callback_settings.<name>.start_from says"));

    private KafkaJournalSection() {
    }

    /**
     * @param journal    the entries of {@code general_settings.journal}
     * @param durability {@code general_settings.durability} (it sets the producer's {@code acks})
     * @param warn       where warnings go (settings Kafka does not know are passed on, with a warning)
     * @return the settings
     * @throws dev.llmhub.core.config.ConfigException naming file, line and key
     */
    static KafkaJournalSettings parse(Map<String, YamlValue> journal, Durability durability, Consumer<String> warn) {
        YamlValue servers = journal.get("bootstrap_servers");
        if (servers == null || servers.isNull()) {
            YamlValue kind = journal.get("kind");
            throw kind.error("kind: kafka needs journal.bootstrap_servers, e.g. kafka-1:9092,kafka-2:9092");
        }
        List<String> bootstrap = bootstrapServers(servers);

        String topic = text(journal.get("topic")).orElse(KafkaJournalSettings.DEFAULT_TOPIC);
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw journal.get("topic").error("'" + topic + "' is not a valid Kafka topic name;"
                    + " expected 1 to 249 letters, digits, '.', '_' or '-'");
        }
        String groupPrefix = journal.containsKey("group_prefix") && !journal.get("group_prefix").isNull()
                ? journal.get("group_prefix").text().orElse("") : KafkaJournalSettings.DEFAULT_GROUP_PREFIX;

        int partitions = KafkaJournalSettings.DEFAULT_PARTITIONS;
        YamlValue p = journal.get("partitions");
        if (p != null && !p.isNull()) {
            long n = p.integer().orElseThrow();
            if (n < 1 || n > 32767) {
                throw p.error("expected a whole number from 1 to 32767, got " + n);
            }
            partitions = (int) n;
        }
        Optional<Short> replication = Optional.empty();
        YamlValue rf = journal.get("replication_factor");
        if (rf != null && !rf.isNull()) {
            long n = rf.integer().orElseThrow();
            if (n < 1 || n > Short.MAX_VALUE) {
                throw rf.error("expected a whole number >= 1, got " + n);
            }
            replication = Optional.of((short) n);
        }
        Duration appendTimeout = ConfigLoader.duration(journal.get("append_timeout"), true)
                .orElse(KafkaJournalSettings.DEFAULT_APPEND_TIMEOUT);

        KafkaJournalSettings.Security security = security(journal);

        Map<String, Map<String, String>> passed = new LinkedHashMap<>();
        Map<String, Map<String, YamlValue>> where = new LinkedHashMap<>();
        for (String prefix : PASS_THROUGH) {
            passed.put(prefix, new LinkedHashMap<>());
            where.put(prefix, new LinkedHashMap<>());
        }
        journal.forEach((key, value) -> {
            for (String prefix : PASS_THROUGH) {
                if (key.equals(prefix)) {
                    if (value.isNull()) {
                        continue;
                    }
                    value.entries().forEach((k, v) -> passThrough(prefix, k, v, passed, where, warn));
                } else if (key.startsWith(prefix + ".")) {
                    passThrough(prefix, key.substring(prefix.length() + 1), value, passed, where, warn);
                }
            }
        });
        checkProducer(passed.get("producer"), where.get("producer"), durability, journal);
        return new KafkaJournalSettings(bootstrap, topic, groupPrefix, partitions, replication, appendTimeout, security,
                passed.get("client"), passed.get("producer"), passed.get("consumer"));
    }

    /** @return whether {@code key} of {@code journal} is one of this section's keys (pass-through included) */
    static boolean knows(String key) {
        return KEYS.contains(key) || PASS_THROUGH.stream().anyMatch(p -> key.startsWith(p + "."));
    }

    private static List<String> bootstrapServers(YamlValue v) {
        List<String> out;
        try {
            out = KafkaBootstrapServers.parse(v.stringList());
        } catch (IllegalArgumentException e) {
            throw v.error(e.getMessage());
        }
        if (out.isEmpty()) {
            throw v.error("no server given (is its environment variable set?); expected e.g. kafka-1:9092");
        }
        return out;
    }

    private static KafkaJournalSettings.Security security(Map<String, YamlValue> j) {
        Optional<String> mechanism = text(j.get("sasl_mechanism")).map(m -> m.toUpperCase(Locale.ROOT));
        Optional<String> username = text(j.get("sasl_username"));
        Optional<String> password = j.get("sasl_password") == null ? Optional.empty() : j.get("sasl_password").text();
        Optional<Path> ca = file(j.get("ssl_ca_cert"));
        Optional<Path> cert = file(j.get("ssl_cert"));
        Optional<Path> key = file(j.get("ssl_key"));
        Optional<String> keyPassword = j.get("ssl_key_password") == null ? Optional.empty() : j.get("ssl_key_password").text();
        boolean sasl = mechanism.isPresent() || username.isPresent() || password.isPresent();
        boolean tlsFiles = ca.isPresent() || cert.isPresent() || key.isPresent();
        YamlValue protocolValue = j.get("security_protocol");
        String protocol = text(protocolValue).map(s -> s.toUpperCase(Locale.ROOT))
                .orElse(sasl ? "SASL_SSL" : tlsFiles ? "SSL" : "PLAINTEXT");
        if (!PROTOCOLS.contains(protocol)) {
            throw protocolValue.error("expected one of " + PROTOCOLS + ", got '" + protocol + "'");
        }
        if (sasl && !protocol.startsWith("SASL_")) {
            throw protocolValue.error(protocol + " does not authenticate with SASL, but sasl_* settings are given;"
                    + " use SASL_SSL (or SASL_PLAINTEXT)");
        }
        if (tlsFiles && !protocol.endsWith("SSL")) {
            throw protocolValue.error(protocol + " does not use TLS, but ssl_* files are given; use SSL or SASL_SSL");
        }
        if (username.isPresent() || password.isPresent()) {
            String m = mechanism.orElse("PLAIN");
            if (!List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512").contains(m)) {
                throw j.get("sasl_mechanism").error("user name and password work with PLAIN, SCRAM-SHA-256 and"
                        + " SCRAM-SHA-512; for " + m + " set client.sasl.jaas.config");
            }
            if (username.isEmpty()) {
                throw j.get("sasl_password").error("a password is set but journal.sasl_username is not");
            }
            if (password.isEmpty()) {
                throw j.get("sasl_username").error("a user name is set but journal.sasl_password is not (is its"
                        + " environment variable set?)");
            }
        }
        if (cert.isPresent() != key.isPresent()) {
            throw (cert.isPresent() ? j.get("ssl_cert") : j.get("ssl_key")).error(
                    "a client certificate needs both ssl_cert and ssl_key (PEM files)");
        }
        return new KafkaJournalSettings.Security(protocol, mechanism, username, password, ca, cert, key, keyPassword);
    }

    private static void passThrough(String prefix, String name, YamlValue v, Map<String, Map<String, String>> passed,
                                    Map<String, Map<String, YamlValue>> where, Consumer<String> warn) {
        if (OWNED.containsKey(name)) {
            throw v.error("not accepted here; " + OWNED.get(name));
        }
        if (v.isMapping()) {
            throw v.error("expected a value, got a mapping");
        }
        String value = v.isSequence() ? String.join(",", v.stringList()) : v.text().orElse("");
        ConfigDef def = prefix.equals("producer") ? ProducerConfig.configDef() : ConsumerConfig.configDef();
        ConfigDef.ConfigKey key = def.configKeys().get(name);
        if (key == null && prefix.equals("client")) {
            key = ProducerConfig.configDef().configKeys().get(name);
        }
        if (key == null) {
            warn.accept(v.where() + ": " + v.path() + ": not a Kafka " + (prefix.equals("client") ? "client" : prefix)
                    + " setting; passed on, but the client itself does not use it (a typo?)");
        } else {
            try {
                Object parsed = ConfigDef.parseType(name, value, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(name, parsed);
                }
            } catch (ConfigException e) {
                String message = e.getMessage() == null ? "invalid" : e.getMessage();
                if (KafkaJournalSettings.isSecretKey(name) && !value.isEmpty()) {
                    message = message.replace(value, "***");
                }
                throw v.error(message);
            }
        }
        passed.get(prefix).put(name, value);
        where.get(prefix).put(name, v);
    }

    /** What the producer would refuse when it is built, said now with the line. */
    private static void checkProducer(Map<String, String> producer, Map<String, YamlValue> where, Durability durability,
                                      Map<String, YamlValue> journal) {
        String idempotence = producer.get("enable.idempotence");
        if ("true".equalsIgnoreCase(idempotence) && durability != Durability.FSYNC) {
            throw where.get("enable.idempotence").error("the idempotent producer needs acks=all, i.e."
                    + " general_settings.durability: fsync (it is " + durability.wireName() + ")");
        }
        String inFlight = producer.get("max.in.flight.requests.per.connection");
        if (inFlight != null && durability == Durability.FSYNC && !"false".equalsIgnoreCase(idempotence)
                && Integer.parseInt(inFlight.strip()) > 5) {
            throw where.get("max.in.flight.requests.per.connection").error("the idempotent producer (durability:"
                    + " fsync) allows at most 5 requests in flight");
        }
        long delivery = number(producer, "delivery.timeout.ms", 120_000);
        long linger = number(producer, "linger.ms", 0);
        long request = number(producer, "request.timeout.ms", 30_000);
        if (delivery < linger + request) {
            YamlValue at = where.getOrDefault("delivery.timeout.ms", where.getOrDefault("request.timeout.ms",
                    where.getOrDefault("linger.ms", journal.get("kind"))));
            throw at.error("producer delivery.timeout.ms (" + delivery + ") must be at least linger.ms + request.timeout.ms ("
                    + (linger + request) + ")");
        }
    }

    private static long number(Map<String, String> m, String key, long otherwise) {
        String v = m.get(key);
        return v == null ? otherwise : Long.parseLong(v.strip());
    }

    private static Optional<String> text(YamlValue v) {
        return v == null ? Optional.empty() : v.text().map(String::strip).filter(s -> !s.isEmpty());
    }

    private static Optional<Path> file(YamlValue v) {
        Optional<Path> p = text(v).map(Path::of);
        if (p.isPresent() && !Files.isReadable(p.get())) {
            throw v.error("cannot read the file '" + p.get() + "'; expected a PEM file");
        }
        return p;
    }
}
