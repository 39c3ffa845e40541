package dev.llmhub.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.core.journal.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code general_settings.journal.kind: kafka}: every key read, checked where it is written, no secret shown. */
class KafkaJournalConfigTest {
    private static final String MODELS = """
            model_list:
              - model_name: m
                litellm_params: {model: mock/m, mock_response: hi}
            """;

    private static ConfigLoader loader(Map<String, String> env) {
        return new ConfigLoader(env);
    }

    private static JournalSettings journal(String general, Map<String, String> env) {
        return loader(env).parse("cfg.yaml", Path.of("cfg.yaml"), MODELS + general).general().journal();
    }

    private static String error(String general) {
        return assertThrows(ConfigException.class, () -> journal(general, Map.of())).getMessage();
    }

    @Test
    void theLocalJournalStaysTheDefault() {
        JournalSettings j = journal("", Map.of());
        assertEquals("local", j.kind());
        assertTrue(j.kafka().isEmpty());
    }

    @Test
    void aMinimalKafkaJournalGetsItsDefaults() {
        JournalSettings j = journal("""
                general_settings:
                  journal:
                    kind: kafka
                    bootstrap_servers: kafka-1:9092,kafka-2:9092
                """, Map.of());
        assertEquals("kafka", j.kind());
        assertTrue(j.survivesStop());
        KafkaJournalSettings k = j.kafka().orElseThrow();
        assertEquals(java.util.List.of("kafka-1:9092", "kafka-2:9092"), k.bootstrapServers());
        assertEquals("llmhub-journal", k.topic());
        assertEquals("llmhub-elasticsearch", k.groupOf("elasticsearch"));
        assertEquals(6, k.partitions());
        assertEquals(Optional.empty(), k.replicationFactor());
        assertEquals(Duration.ofSeconds(5), k.appendTimeout());
        assertEquals("PLAINTEXT", k.security().protocol());
        assertEquals(Map.of("bootstrap.servers", "kafka-1:9092,kafka-2:9092", "security.protocol", "PLAINTEXT"),
                k.clientProperties());
    }

    @Test
    void everyKeyIsRead(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        ConfigLoader loader = loader(Map.of("KAFKA_PASSWORD", "pw-Zq81\"x"));
        JournalSettings j = loader.parse("cfg.yaml", Path.of("cfg.yaml"), MODELS + """
                general_settings:
                  durability: fsync
                  journal:
                    kind: kafka
                    bootstrap_servers: [kafka-1:9093, "kafka-2:9093"]
                    topic: calls.journal
                    group_prefix: prod-
                    partitions: 12
                    replication_factor: 3
                    append_timeout: 2s
                    sasl_mechanism: scram-sha-512
                    sasl_username: llmhub
                    sasl_password: os.environ/KAFKA_PASSWORD
                    ssl_ca_cert: %s
                    producer:
                      linger.ms: 2
                      batch.size: 65536
                    producer.compression.type: zstd
                    consumer.max.poll.records: 200
                    client.reconnect.backoff.max.ms: 2000
                """.formatted(ca)).general().journal();
        assertTrue(loader.warnings().isEmpty(), loader.warnings().toString());
        assertEquals(Durability.FSYNC, j.durability());
        KafkaJournalSettings k = j.kafka().orElseThrow();
        assertEquals("calls.journal", k.topic());
        assertEquals("prod-otel", k.groupOf("otel"));
        assertEquals(12, k.partitions());
        assertEquals(Optional.of((short) 3), k.replicationFactor());
        assertEquals(Duration.ofSeconds(2), k.appendTimeout());
        assertEquals(Map.of("linger.ms", "2", "batch.size", "65536", "compression.type", "zstd"), k.producer());
        assertEquals(Map.of("max.poll.records", "200"), k.consumer());
        Map<String, Object> client = k.clientProperties();
        assertEquals("SASL_SSL", client.get("security.protocol"), "SASL with TLS files: SASL_SSL");
        assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"llmhub\""
                + " password=\"pw-Zq81\\\"x\";", client.get("sasl.jaas.config"));
        assertEquals("PEM", client.get("ssl.truststore.type"));
        assertEquals(ca.toString(), client.get("ssl.truststore.location"));
        assertEquals("2000", client.get("reconnect.backoff.max.ms"));
        assertFalse(j.toString().contains("pw-Zq81"), "no password in toString: " + j);
        assertTrue(k.secrets().contains("pw-Zq81\"x"));
    }

    @Test
    void mistakesNameFileLineAndKey() {
        assertEquals("cfg.yaml:6: general_settings.journal.kind: expected local or kafka, got 'redis'", error("""
                general_settings:
                  journal:
                    kind: redis
                """));
        assertTrue(error("""
                general_settings:
                  journal:
                    kind: kafka
                """).startsWith("cfg.yaml:6: general_settings.journal.kind: kind: kafka needs journal.bootstrap_servers"));
        assertTrue(error("""
                general_settings:
                  journal:
                    kind: kafka
                    bootstrap_servers: kafka-1
                """).startsWith("cfg.yaml:7: general_settings.journal.bootstrap_servers: 'kafka-1' is not host:port"));
        assertTrue(error("""
                general_settings:
                  journal:
                    kind: kafka
                    bootstrap_servers: k:9092
                    topic: "no spaces"
                """).contains("cfg.yaml:8: general_settings.journal.topic: 'no spaces' is not a valid Kafka topic name"));
        assertEquals("cfg.yaml:9: general_settings.journal.producer.acks: not accepted here; set by"
                + " general_settings.durability (process: 1, fsync: all, memory: 0)", error("""
                general_settings:
                  journal:
                    kind: kafka
                    bootstrap_servers: k:9092
                    producer:
                      acks: all
                """));
        assertTrue(error("""
                general_settings:
                  journal:
                    kind: kafka
                    bootstrap_servers: k:9092
                    producer.linger.ms: soon
                """).startsWith("cfg.yaml:8: general_settings.journal.producer.linger.ms: Invalid value soon for"
                + " configuration linger.ms"), "Kafka's own check, with our line");
        assertTrue(error("""
                general_settings:
                  journal:
                    kind: kafka
                    bootstrap_servers: k:9092
                    consumer.group.id: mine
                """).contains("consumer.group.id: not accepted here; each destination's group is journal.group_prefix"));
        assertTrue(error("""
                general_settings:
                  journal:
                    kind: kafka
                    bootstrap_servers: k:9092
                    security_protocol: SSL
                    sasl_username: u
                    sasl_password: p
                """).contains("cfg.yaml:8: general_settings.journal.security_protocol: SSL does not authenticate with SASL"));
        assertTrue(error("""
                general_settings:
                  journal:
                    kind: kafka
                    bootstrap_servers: k:9092
                    producer.enable.idempotence: true
                """).contains("needs acks=all, i.e. general_settings.durability: fsync (it is process)"));
        assertTrue(error("""
                general_settings:
                  journal:
                    kind: kafka
                    bootstrap_servers: k:9092
                    producer.delivery.timeout.ms: 1000
                """).contains("delivery.timeout.ms (1000) must be at least linger.ms + request.timeout.ms (30000)"));
        assertTrue(error("""
                general_settings:
                  journal:
                    kind: kafka
                    bootstrap_servers: k:9092
                    ssl_ca_cert: /nonexistent/ca.pem
                """).contains("ssl_ca_cert: cannot read the file '/nonexistent/ca.pem'"));
    }

    @Test
    void aPasswordInAPassThroughValueIsNeverShown() {
        KafkaJournalSettings k = journal("""
                general_settings:
                  journal:
                    kind: kafka
                    bootstrap_servers: k:9092
                    client.sasl.jaas.config: "x required password=\\"s3cr3t-Jw\\";"
                """, Map.of()).kafka().orElseThrow();
        assertFalse(k.toString().contains("s3cr3t-Jw"), k.toString());
        assertTrue(k.secrets().contains("x required password=\"s3cr3t-Jw\";"));
    }

    @Test
    void keysOfTheOtherKindWarn() {
        ConfigLoader loader = loader(Map.of());
        loader.parse("cfg.yaml", Path.of("cfg.yaml"), MODELS + """
                general_settings:
                  fsync_interval: 5ms
                  journal:
                    kind: kafka
                    bootstrap_servers: k:9092
                    segment_size: 1MiB
                    producer.linger.mss: 3
                """);
        assertTrue(loader.warnings().stream().anyMatch(w -> w.contains("journal.segment_size: applies to the local journal only")),
                loader.warnings().toString());
        assertTrue(loader.warnings().stream().anyMatch(w -> w.contains("fsync_interval: applies to the local journal only")),
                loader.warnings().toString());
        assertTrue(loader.warnings().stream().anyMatch(w -> w.contains("producer.linger.mss: not a Kafka producer setting")),
                loader.warnings().toString());
        ConfigLoader local = loader(Map.of());
        local.parse("cfg.yaml", Path.of("cfg.yaml"), MODELS + """
                general_settings:
                  journal:
                    topic: calls
                """);
        assertTrue(local.warnings().stream().anyMatch(w -> w.contains("journal.topic: applies to kind: kafka only")),
                local.warnings().toString());
    }
}
