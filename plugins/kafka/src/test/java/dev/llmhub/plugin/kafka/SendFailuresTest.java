package dev.llmhub.plugin.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.ExportResult;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedCompressionTypeException;
import org.junit.jupiter.api.Test;

/** Which failures are retried, which are not, and which need a new producer (the ones a broker is hard to make throw). */
class SendFailuresTest {
    private static final String PASSWORD = "pw-Tq9Ks3";
    private static final KafkaSettings SETTINGS = KafkaSettings.from(TestPluginContext.of("kafka", Map.of(
            "bootstrap_servers", "kafka-1:9092", "sasl_username", "llmhub", "sasl_password", PASSWORD), Map.of()));

    private static SendFailures.Outcome classify(Throwable e) {
        return SendFailures.classify(e, SETTINGS);
    }

    private static void retryable(Throwable e, boolean replace) {
        SendFailures.Outcome o = classify(e);
        assertInstanceOf(ExportResult.Retryable.class, o.result(), e.toString());
        assertEquals(replace, o.replaceProducer(), e.toString());
    }

    private static void permanent(Throwable e, boolean replace) {
        SendFailures.Outcome o = classify(e);
        assertInstanceOf(ExportResult.Permanent.class, o.result(), e.toString());
        assertEquals(replace, o.replaceProducer(), e.toString());
    }

    @Test
    void transientBrokerConditionsAreRetryableWithTheSameProducer() {
        retryable(new TimeoutException("Expiring 3 record(s) for calls-0: 19000 ms has passed since batch creation"), false);
        retryable(new NotLeaderOrFollowerException("not leader"), false);
        retryable(new NotEnoughReplicasException("only 1 of 2"), false);
        retryable(new NetworkException("disconnected"), false);
        retryable(new ThrottlingQuotaExceededException("throttled"), false);
        retryable(new InterruptException("interrupted"), false);
    }

    @Test
    void noMetadataSaysWhatToCheck() {
        ExportResult.Retryable r = (ExportResult.Retryable) classify(
                new TimeoutException("Topic llmhub-calls not present in metadata after 5000 ms.")).result();
        assertTrue(r.reason().contains("kafka-1:9092") && r.reason().contains("does the topic exist"), r.reason());
    }

    @Test
    void whatRetryingCannotFixIsPermanent() {
        permanent(new RecordTooLargeException("The message is 2000000 bytes"), false);
        permanent(new TopicAuthorizationException("Not authorized to access topics: [llmhub-calls]"), false);
        permanent(new UnsupportedCompressionTypeException("zstd"), false);
        // These leave the idempotent producer unusable: the next export gets a new one.
        permanent(new ClusterAuthorizationException("IDEMPOTENT_WRITE"), true);
        permanent(new SaslAuthenticationException("Authentication failed"), true);
        permanent(new SslAuthenticationException("SSL handshake failed"), true);
    }

    @Test
    void aProducerInAnErrorStateIsReplacedAndTheRecordRetried() {
        retryable(new OutOfOrderSequenceException("out of order"), true);
        retryable(new KafkaException("Cannot perform send because at least one previous transactional or"
                + " idempotent request has failed with errors."), true);
        retryable(new IllegalStateException("Cannot perform operation after producer has been closed"), true);
    }

    @Test
    void aConfiguredSecretInAKafkaMessageIsNotRepeated() {
        ExportResult.Permanent p = (ExportResult.Permanent) classify(
                new SaslAuthenticationException("login failed for llmhub/" + PASSWORD)).result();
        assertFalse(p.reason().contains(PASSWORD), p.reason());
        assertTrue(p.reason().contains("llmhub/***"), p.reason());
    }
}
