package dev.llmhub.plugin.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.PluginConfigException;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {
    private static final String SERVERS = "kafka-1:9092";

    private static KafkaSettings read(Map<String, ?> settings) {
        return read(settings, Map.of());
    }

    private static KafkaSettings read(Map<String, ?> settings, Map<String, String> env) {
        return KafkaSettings.from(TestPluginContext.of("kafka", settings, env));
    }

    /** @return the message of the refusal, after checking it names the key */
    private static String refused(String key, Map<String, ?> settings) {
        String m = assertThrows(PluginConfigException.class, () -> read(settings)).getMessage();
        assertTrue(m.startsWith("callback_settings.kafka." + key + ":"), m);
        return m;
    }

    private static Map<String, Object> with(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bootstrap_servers", SERVERS);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsMakeAnIdempotentZstdProducerToLlmhubCallsThatFitsInTheExportTimeout() {
        KafkaSettings s = read(with());
        Map<String, Object> c = s.producerConfig();
        assertEquals("llmhub-calls", s.topic());
        assertEquals(SERVERS, c.get("bootstrap.servers"));
        assertEquals("all", c.get("acks"));
        assertEquals(true, c.get("enable.idempotence"));
        assertTrue(s.idempotent());
        assertEquals("zstd", c.get("compression.type"));
        assertEquals("PLAINTEXT", c.get("security.protocol"));
        assertTrue(((String) c.get("client.id")).startsWith("llmhub-kafka-"), c.toString());
        // The core's export_timeout defaults to 30 s: metadata wait + delivery must end before it.
        assertEquals(19_000, c.get("delivery.timeout.ms"));
        assertEquals(9_500, c.get("request.timeout.ms"));
        assertEquals(5_000L, c.get("max.block.ms"));
        assertEquals(Duration.ofSeconds(25), s.waitLimit());
        assertTrue(s.waitLimit().compareTo(KafkaSettings.DEFAULT_EXPORT_TIMEOUT) < 0);
    }

    @Test
    void theProducerTimeoutsFollowAShorterExportTimeout() {
        KafkaSettings s = read(with("export_timeout", "6s"));
        assertEquals(3_000, s.producerConfig().get("delivery.timeout.ms"));
        assertEquals(1_000L, s.producerConfig().get("max.block.ms"));
        assertTrue(s.waitLimit().compareTo(Duration.ofSeconds(6)) < 0, s.waitLimit().toString());
    }

    @Test
    void serversComeAsAListACommaListOrFromTheEnvironment() {
        assertEquals(List.of("a:9092", "b:9093"), read(with("bootstrap_servers", List.of("a:9092", "b:9093"))).bootstrapServers());
        assertEquals(List.of("a:9092", "[::1]:9093"), read(with("bootstrap_servers", "a:9092, [::1]:9093")).bootstrapServers());
        assertEquals(List.of("env:9092"), read(Map.of(), Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9092")).bootstrapServers());
        String m = assertThrows(PluginConfigException.class, () -> read(Map.of())).getMessage();
        assertTrue(m.contains("callback_settings.kafka.bootstrap_servers") && m.contains("KAFKA_BOOTSTRAP_SERVERS"), m);
    }

    @Test
    void acksBelowAllTurnIdempotenceOff() {
        KafkaSettings one = read(with("acks", 1));
        assertEquals("1", one.producerConfig().get("acks"));
        assertEquals(false, one.producerConfig().get("enable.idempotence"));
        assertFalse(one.idempotent());
        assertEquals("all", read(with("acks", -1)).producerConfig().get("acks"));
        refused("acks", with("acks", 1, "producer.enable.idempotence", true));
    }

    @Test
    void producerSettingsPassThroughFlatOrNested() {
        KafkaSettings s = read(with("producer.linger.ms", 20, "producer", Map.of("batch.size", "65536",
                "max.request.size", 2_000_000)));
        assertEquals("20", s.producerConfig().get("linger.ms"));
        assertEquals("65536", s.producerConfig().get("batch.size"));
        assertEquals("2000000", s.producerConfig().get("max.request.size"));
        // ...and override the derived timeouts, which then set the wait limit.
        KafkaSettings longer = read(with("producer.delivery.timeout.ms", 10_000, "producer.max.block.ms", 2_000));
        assertEquals(Duration.ofSeconds(13), longer.waitLimit());
        assertEquals(5_000, longer.producerConfig().get("request.timeout.ms"), "derived from the delivery timeout given");
    }

    @Test
    void badValuesNameTheirKey() {
        refused("bootstrap_servers", with("bootstrap_servers", "kafka-1"));
        refused("bootstrap_servers", with("bootstrap_servers", "kafka-1:99999"));
        refused("topic", with("topic", "calls with spaces"));
        refused("acks", with("acks", "most"));
        refused("compression", with("compression", "brotli"));
        refused("security_protocol", with("security_protocol", "TLS"));
        refused("producer.linger.ms", with("producer.linger.ms", "soon"));
        refused("producer.max.in.flight.requests.per.connection", with("producer.max.in.flight.requests.per.connection", 6));
        refused("producer.delivery.timeout.ms", with("producer.delivery.timeout.ms", 100, "producer.request.timeout.ms", 200));
        refused("producer.batch.size", with("producer", Map.of("batch.size", Map.of("nested", 1))));
    }

    @Test
    void settingsWithAKeyOfTheirOwnOrOwnedByTheDestinationAreNotPassedThrough() {
        assertTrue(refused("producer.acks", with("producer.acks", "1")).contains("use acks"));
        assertTrue(refused("producer.bootstrap.servers", with("producer.bootstrap.servers", "x:1")).contains("bootstrap_servers"));
        refused("producer.compression.type", with("producer", Map.of("compression.type", "gzip")));
        refused("producer.value.serializer", with("producer.value.serializer", "x.Y"));
        assertTrue(refused("producer.transactional.id", with("producer.transactional.id", "t")).contains("transactions"));
    }

    @Test
    void saslUserAndPasswordBecomeAJaasConfigAndNeverAppearInAMessage() {
        KafkaSettings s = read(with("sasl_mechanism", "scram-sha-512", "sasl_username", "llmhub",
                "sasl_password", "pa\"ss\\word-Xy7"));
        Map<String, Object> c = s.producerConfig();
        assertEquals("SASL_SSL", c.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", c.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"llmhub\""
                + " password=\"pa\\\"ss\\\\word-Xy7\";", c.get("sasl.jaas.config"));
        assertEquals("cannot log in as llmhub with *** here", s.scrub("cannot log in as llmhub with pa\"ss\\word-Xy7 here"));

        KafkaSettings plain = read(with("security_protocol", "SASL_PLAINTEXT", "sasl_username", "u", "sasl_password", "p-Qw3"));
        assertEquals("PLAIN", plain.producerConfig().get("sasl.mechanism"));
        assertTrue(((String) plain.producerConfig().get("sasl.jaas.config")).startsWith(
                "org.apache.kafka.common.security.plain.PlainLoginModule required"));
        KafkaSettings fromEnv = read(with("sasl_mechanism", "PLAIN"), Map.of("KAFKA_SASL_USERNAME", "e", "KAFKA_SASL_PASSWORD", "ep"));
        assertTrue(((String) fromEnv.producerConfig().get("sasl.jaas.config")).contains("username=\"e\""));

        String noPassword = refused("sasl_password", with("sasl_username", "u"));
        assertTrue(noPassword.contains("KAFKA_SASL_PASSWORD"), noPassword);
        refused("sasl_username", with("sasl_password", "only-Zx9"));
        refused("security_protocol", with("security_protocol", "PLAINTEXT", "sasl_username", "u", "sasl_password", "p"));
        String other = refused("sasl_username", with("sasl_mechanism", "OAUTHBEARER", "sasl_username", "u", "sasl_password", "p"));
        assertTrue(other.contains("producer.sasl.jaas.config"), other);
    }

    @Test
    void passedThroughSecretsAreScrubbedFromMessagesToo() {
        String jaas = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientSecret=\"cs-Hq4\";";
        KafkaSettings s = read(with("sasl_mechanism", "OAUTHBEARER", "producer.sasl.jaas.config", jaas,
                "producer", Map.of("ssl.key.password", "kp-Lm2")));
        assertEquals(jaas, s.producerConfig().get("sasl.jaas.config"));
        assertEquals("*** and ***", s.scrub(jaas + " and kp-Lm2"));
    }

    @Test
    void pemFilesConfigureTlsAndMissingOnesNameTheirKey(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Path cert = Files.writeString(dir.resolve("client.pem"), "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\nMIIE-secret\n-----END PRIVATE KEY-----\n");
        KafkaSettings s = read(with("ssl_ca_cert", ca.toString(), "ssl_cert", cert.toString(), "ssl_key", key.toString()));
        Map<String, Object> c = s.producerConfig();
        assertEquals("SSL", c.get("security.protocol"));
        assertEquals("PEM", c.get("ssl.truststore.type"));
        assertEquals(ca.toString(), c.get("ssl.truststore.location"));
        assertEquals("PEM", c.get("ssl.keystore.type"));
        assertTrue(((String) c.get("ssl.keystore.certificate.chain")).contains("MIIC"));
        assertEquals("***", s.scrub(Files.readString(key)));

        refused("ssl_ca_cert", with("ssl_ca_cert", dir.resolve("missing.pem").toString()));
        refused("ssl_key", with("ssl_cert", cert.toString()));
        refused("security_protocol", with("security_protocol", "SASL_PLAINTEXT", "sasl_username", "u",
                "sasl_password", "p", "ssl_ca_cert", ca.toString()));
    }
}
