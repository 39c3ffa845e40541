package dev.llmhub.core.journal;

import dev.llmhub.api.Failures;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;

/** What a Kafka client error means, said in one line fit for the log (Kafka's messages carry no credentials). */
final class KafkaErrors {
    private KafkaErrors() {
    }

    /** @return the exception chain's types and messages, at most three deep */
    static String describe(Throwable e) {
        return Failures.describe(e, 3);
    }

    /** @return whether retrying cannot help until someone changes the configuration or the cluster */
    static boolean isRefusal(Throwable e) {
        return e instanceof AuthenticationException || e instanceof AuthorizationException
                || e instanceof InvalidTopicException;
    }

    /**
     * @param e     why the producer gave a record up
     * @param where the topic and brokers, for the message
     * @return why, and what to do
     */
    static String appendFailure(Throwable e, String where) {
        String what = describe(e);
        if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
            return "the record is too large for " + where + " (" + what + "); raise journal.producer.max.request.size"
                    + " and the topic's max.message.bytes";
        }
        if (e instanceof TimeoutException) {
            return "Kafka at " + where + " did not take the record in time (" + what + ")";
        }
        if (isRefusal(e)) {
            return "Kafka at " + where + " refused the record (" + what + "); check the journal's credentials and ACLs"
                    + " (WRITE and DESCRIBE on the topic)";
        }
        return "sending to Kafka at " + where + " failed (" + what + ")";
    }
}
