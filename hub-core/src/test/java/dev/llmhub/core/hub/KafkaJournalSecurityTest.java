package dev.llmhub.core.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.config.ConfigLoader;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.journal.Append;
import dev.llmhub.core.journal.Entry;
import dev.llmhub.core.journal.Journal;
import dev.llmhub.core.journal.JournalOpenException;
import dev.llmhub.core.journal.JournalReader;
import dev.llmhub.core.journal.StartFrom;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.testsupport.kafka.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka journal from the config file to the broker, on a broker of its own that authenticates with
 * SASL/PLAIN: {@code journal.sasl_*} keys reach every client (producer, consumers, admin); the topic
 * holds the documented call-record JSON keyed by call id; {@code durability} sets {@code acks};
 * a wrong password stops the start with a message that names the cause and never the password.
 */
class KafkaJournalSecurityTest {
    private static final String PASSWORD = "journal-secret-Kd8Wq3";
    private static KafkaBroker broker;

    @BeforeAll
    static void startSaslBroker() {
        broker = KafkaBroker.builder(Path.of("target/kafka-sasl-work"))
                .saslPlainUsers(Map.of("llmhub", PASSWORD))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "stop-sasl-kafka"));
        broker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static HubConfig config(String durability, String topic, String password) {
        return new ConfigLoader(Map.of("KAFKA_PASSWORD", password)).parse("cfg.yaml", Path.of("cfg.yaml"), """
                model_list:
                  - model_name: m
                    litellm_params: {model: mock/m, mock_response: hi}
                general_settings:
                  durability: %s
                  journal:
                    kind: kafka
                    bootstrap_servers: %s
                    topic: %s
                    partitions: 1
                    security_protocol: SASL_PLAINTEXT
                    sasl_username: llmhub
                    sasl_password: os.environ/KAFKA_PASSWORD
                """.formatted(durability, broker.saslBootstrapServers(), topic));
    }

    private static Journal<CallRecord> open(HubConfig c) {
        return Journals.open(c.general().journal(), new DataDirectory(Path.of("target/unused"), "test"),
                new SimpleMeterRegistry());
    }

    @Test
    void everyDurabilityWritesTheDocumentedRecordThroughSasl() throws Exception {
        String topic = "journal-sasl";
        List<CallRecord> written = new ArrayList<>();
        for (String durability : List.of("process", "fsync", "memory")) {
            try (Journal<CallRecord> j = open(config(durability, topic, PASSWORD))) {
                CallRecord r = SampleRecords.seedSuccess().id("call-" + durability).build();
                Append a = j.append(r);
                if (durability.equals("memory")) {
                    assertTrue(a.isDone(), "acks=0: done at once");
                    assertEquals(-1, a.offset(), "acks=0: Kafka does not say where");
                } else {
                    assertTrue(a.await(Duration.ofSeconds(30)));
                    assertEquals(written.size(), a.offset(), durability + ": acknowledged with its offset");
                }
                written.add(r);
                assertEquals(durability, j.stats().durability());
            }
        }
        try (Journal<CallRecord> j = open(config("process", topic, PASSWORD));
             JournalReader<CallRecord> reader = j.open("es", StartFrom.EARLIEST)) {
            List<Entry<CallRecord>> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (got.size() < written.size() && System.nanoTime() < deadline) {
                got.addAll(reader.poll(10, 1 << 20, Duration.ofMillis(200)));
            }
            assertEquals(written, got.stream().map(Entry::value).toList(), "read back through a consumer group");
        }
        List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(topic, Duration.ofSeconds(30));
        assertEquals(written.size(), records.size());
        for (int i = 0; i < written.size(); i++) {
            assertEquals(written.get(i).id(), new String(records.get(i).key(), StandardCharsets.UTF_8), "key = call id");
            assertArrayEquals(CallRecordJson.bytes(written.get(i)), records.get(i).value(), "value = the documented JSON");
        }
    }

    @Test
    void aWrongPasswordStopsTheStartWithoutShowingIt() {
        String wrong = "wrong-password-Zt6Hy0";
        JournalOpenException e = assertThrows(JournalOpenException.class,
                () -> open(config("process", "journal-sasl-wrong", wrong)).close());
        assertTrue(e.getMessage().contains("Kafka refused the journal"), e.getMessage());
        assertTrue(e.getMessage().contains("sasl_"), "says where to look: " + e.getMessage());
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
        assertFalse(String.valueOf(e.getCause()).contains(wrong));
        assertFalse(config("process", "t", wrong).toString().contains(wrong), "nor in the config's toString");
        assertFalse(ConfigView.of(config("process", "t", wrong)).toString().contains(wrong), "nor in GET /admin/config");
        assertEquals(Optional.of("[REDACTED]"), Optional.ofNullable(((Map<?, ?>) ((Map<?, ?>) ConfigView.of(
                config("process", "t", wrong)).get("general_settings")).get("journal")).get("sasl_password")));
    }
}
