package dev.llmhub.testsupport.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself: a real broker that survives SIGKILL with its data, and dies with its JVM. */
class KafkaBrokerTest {

    @Test
    void keepsAcknowledgedRecordsAcrossASigkillAndComesBackOnTheSamePort() throws Exception {
        KafkaBroker broker = KafkaBroker.shared();
        String topic = "harness-restart";
        broker.createTopic(topic, 3);
        int port = broker.port();
        send(broker, topic, 0, 200);
        assertEquals(200, broker.recordCount(topic));

        long pid = broker.pid();
        broker.kill();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the killed broker is still alive");
        broker.start();

        assertEquals(port, broker.port());
        send(broker, topic, 200, 100);
        List<ConsumerRecord<byte[], byte[]>> all = broker.readAll(topic, Duration.ofSeconds(60));
        Set<String> keys = new TreeSet<>();
        all.forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
        assertEquals(300, all.size(), "records after the restart");
        assertEquals(300, keys.size(), "distinct keys after the restart");
        assertEquals(300, broker.recordCount(topic));
        System.out.println("broker restart after SIGKILL took " + broker.lastStartTime().toMillis() + " ms");
    }

    @Test
    void dieWithTheJvmThatStartedItEvenWhenThatJvmIsKilled(@TempDir Path work) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                BrokerInAnotherJvm.class.getName(), work.toString())
                .redirectErrorStream(true).start();
        long brokerPid = -1;
        List<String> output = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.add(line);
                if (line.startsWith("BROKER_PID ")) {
                    brokerPid = Long.parseLong(line.substring("BROKER_PID ".length()));
                    break;
                }
            }
            assertTrue(brokerPid > 0, "the other JVM did not start a broker:\n" + String.join("\n", output));
            ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();
            assertTrue(broker.isAlive());

            child.destroyForcibly(); // SIGKILL: no shutdown hook runs in that JVM
            child.waitFor(30, TimeUnit.SECONDS);
            broker.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(broker.isAlive(), "the broker outlived the JVM that started it");
        } finally {
            child.destroyForcibly();
            if (brokerPid > 0) {
                ProcessHandle.of(brokerPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** Starts a broker and waits to be killed. */
    public static final class BrokerInAnotherJvm {
        public static void main(String[] args) throws InterruptedException {
            KafkaBroker broker = KafkaBroker.builder(Path.of(args[0])).build().start();
            System.out.println("BROKER_PID " + broker.pid());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void send(KafkaBroker broker, String topic, int from, int count) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }
}
