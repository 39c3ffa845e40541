package dev.llmhub.plugin.kafka;

import dev.llmhub.api.CallRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One Kafka message per call record:
 * <ul>
 *   <li>key: the call id (UTF-8), so every message of a call lands in one partition and a consumer
 *       dedupes by key;</li>
 *   <li>value: the documented call record JSON ({@code docs/call-record.md}), UTF-8;</li>
 *   <li>headers {@code model} and {@code status} ({@code success}/{@code failure}), so consumers and
 *       Kafka Connect transforms can route or filter without parsing the value;</li>
 *   <li>timestamp: the call's {@code start_time}, so time-partitioned sinks file a call under when it
 *       happened, not when a retry after an outage delivered it.</li>
 * </ul>
 */
final class CallMessages {
    static final String MODEL_HEADER = "model";
    static final String STATUS_HEADER = "status";

    private final String topic;
    private final Function<Object, byte[]> toJson;

    /**
     * @param topic  where messages go
     * @param toJson the proxy's JSON writer ({@code PluginContext::toJsonUtf8})
     */
    CallMessages(String topic, Function<Object, byte[]> toJson) {
        this.topic = topic;
        this.toJson = toJson;
    }

    ProducerRecord<byte[], byte[]> of(CallRecord r) {
        List<Header> headers = List.of(
                new RecordHeader(MODEL_HEADER, r.model().getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(STATUS_HEADER, r.status().wireName().getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(topic, null, r.startTime().toEpochMilli(), r.id().getBytes(StandardCharsets.UTF_8),
                toJson.apply(r), headers);
    }
}
