package dev.llmhub.plugin.kafka;

import dev.llmhub.api.ExportResult;
import dev.llmhub.api.Failures;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.errors.UnsupportedCompressionTypeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What a failed send means for its record, in one place:
 * <ul>
 *   <li><b>retryable</b>: everything Kafka marks {@link RetriableException} (timeouts — including a
 *       broker that cannot be reached, whose metadata never arrives —, not leader or follower, not
 *       enough replicas, network errors, throttling), and anything unknown;</li>
 *   <li><b>permanent</b>: the record is too large, authentication or authorization was refused, the
 *       topic name or a policy refuses it, the broker lacks the compression codec: sending the same
 *       record again cannot help until someone changes something.</li>
 * </ul>
 * Some errors also leave the idempotent producer unusable (it refuses every later send): those ask
 * for a fresh producer ({@link Outcome#replaceProducer()}).
 */
final class SendFailures {
    private SendFailures() {
    }

    /**
     * @param result          the record's result (retryable or permanent)
     * @param replaceProducer whether the producer must be closed and a new one made
     * @param kind            a short name of the failure, for log de-duplication
     */
    record Outcome(ExportResult result, boolean replaceProducer, String kind) {
    }

    /**
     * @param e        what the send or the producer threw (unwrapped)
     * @param settings for the broker addresses and scrubbing secrets from messages
     * @return what it means
     */
    static Outcome classify(Throwable e, KafkaSettings settings) {
        String where = " (topic " + settings.topic() + " at " + settings.bootstrapForLog() + ")";
        String message = settings.scrub(describe(e));
        String kind = e.getClass().getSimpleName();
        if (e instanceof AuthenticationException) {
            return new Outcome(ExportResult.permanent("Kafka refused the credentials" + where + ": " + message
                    + "; check sasl_username/sasl_password or the TLS client certificate"), true, kind);
        }
        if (e instanceof AuthorizationException) {
            // Without IDEMPOTENT_WRITE (or WRITE on the topic) the idempotent producer is unusable for good.
            return new Outcome(ExportResult.permanent("Kafka denied the write" + where + ": " + message
                    + "; the principal needs WRITE (and DESCRIBE) on the topic"), e instanceof ClusterAuthorizationException, kind);
        }
        if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
            return new Outcome(ExportResult.permanent("the message is too large" + where + ": " + message
                    + "; raise producer.max.request.size and the topic's max.message.bytes"), false, kind);
        }
        if (e instanceof InvalidTopicException || e instanceof PolicyViolationException || e instanceof InvalidRecordException
                || e instanceof SerializationException || e instanceof UnsupportedCompressionTypeException) {
            return new Outcome(ExportResult.permanent("Kafka refused the message" + where + ": " + message), false, kind);
        }
        if (e instanceof InterruptException) {
            // The core interrupts an export that outlives export_timeout; the producer itself is fine.
            return new Outcome(ExportResult.retryable("the send was interrupted" + where), false, kind);
        }
        if (e instanceof TimeoutException && message.contains("not present in metadata")) {
            return new Outcome(ExportResult.retryable("no metadata for the topic" + where + ": " + message
                    + "; is a broker reachable at bootstrap_servers, and does the topic exist (or may it be auto-created)?"),
                    false, "metadata");
        }
        if (e instanceof RetriableException) {
            return new Outcome(ExportResult.retryable("Kafka did not take the message yet" + where + ": " + message), false, kind);
        }
        if (e instanceof OutOfOrderSequenceException || e instanceof UnknownProducerIdException
                || e instanceof UnsupportedVersionException) {
            return new Outcome(ExportResult.retryable("the producer lost its idempotent session" + where + ": " + message
                    + "; a new producer takes over"), true, kind);
        }
        // A producer in an error state refuses everything with a plain KafkaException (or IllegalStateException
        // once closed): a new one may well succeed.
        boolean broken = e instanceof KafkaException || e instanceof IllegalStateException;
        return new Outcome(ExportResult.retryable("sending to Kafka failed" + where + ": " + message), broken, kind);
    }

    /** The exception chain's types and messages (Kafka's messages name hosts and topics, never credentials). */
    static String describe(Throwable e) {
        return Failures.describe(e, 3);
    }
}
