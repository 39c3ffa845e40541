package dev.llmhub.core.journal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the journal's topic without a cursor: the console's search and a call's detail page
 * ({@link Journal#read}), and the time of one record (a seek on a topic of several partitions). One
 * group-less consumer, made on first use, one caller at a time; every read is bounded in entries,
 * bytes and time.
 */
final class KafkaBrowser<T> implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final JournalCodec<T> codec;
    private final Supplier<KafkaConsumer<byte[], byte[]>> factory;
    private final ReentrantLock lock = new ReentrantLock();
    private KafkaConsumer<byte[], byte[]> consumer;
    private boolean closed;

    KafkaBrowser(String topic, JournalCodec<T> codec, Supplier<KafkaConsumer<byte[], byte[]>> factory) {
        this.topic = topic;
        this.codec = codec;
        this.factory = factory;
    }

    /**
     * Entries in address order from {@code from}: the rest of its partition, then the next partitions
     * from their oldest record, until a limit is reached.
     *
     * @param from       an address (see {@link KafkaOffsets})
     * @param partitions the topic's partition count
     * @param maxEntries most entries
     * @param maxBytes   most encoded bytes (at least one entry when any exists)
     * @param timeout    how long the read may take
     * @param corrupt    told of each record that does not decode (skipped)
     * @return the entries read
     * @throws KafkaException when Kafka cannot be read
     */
    List<Entry<T>> read(long from, int partitions, int maxEntries, long maxBytes, Duration timeout,
                        java.util.function.IntConsumer corrupt) {
        List<Entry<T>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long bytes = 0;
        lock.lock();
        try {
            KafkaConsumer<byte[], byte[]> c = consumer();
            for (int p = KafkaOffsets.partition(from); p < partitions && out.size() < maxEntries; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                long start = p == KafkaOffsets.partition(from) ? KafkaOffsets.offset(from) : 0;
                Map<TopicPartition, Long> begin = c.beginningOffsets(List.of(tp), timeout);
                Map<TopicPartition, Long> end = c.endOffsets(List.of(tp), timeout);
                long next = Math.max(start, begin.get(tp));
                long last = end.get(tp);
                if (next >= last) {
                    continue;
                }
                c.assign(List.of(tp));
                c.seek(tp, next);
                while (next < last && out.size() < maxEntries && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL).records(tp)) {
                        next = r.offset() + 1;
                        int size = r.value() == null ? 0 : r.value().length;
                        if (out.size() >= maxEntries || (!out.isEmpty() && bytes + size > maxBytes)) {
                            return out;
                        }
                        T value = decode(r.value());
                        if (value == null) {
                            corrupt.accept(p);
                            continue;
                        }
                        out.add(new Entry<>(KafkaOffsets.address(p, r.offset()), r.timestamp(), size, value));
                        bytes += size;
                    }
                }
            }
            return out;
        } finally {
            if (consumer != null) {
                consumer.unsubscribe();
            }
            lock.unlock();
        }
    }

    /**
     * @param partition a partition
     * @param offset    an offset in it
     * @param timeout   how long the lookup may take
     * @return the time (epoch ms) of the first record at or after that offset, or -1 when there is none
     */
    long timestampAt(int partition, long offset, Duration timeout) {
        lock.lock();
        try {
            KafkaConsumer<byte[], byte[]> c = consumer();
            TopicPartition tp = new TopicPartition(topic, partition);
            long next = Math.max(offset, c.beginningOffsets(List.of(tp), timeout).get(tp));
            if (next >= c.endOffsets(List.of(tp), timeout).get(tp)) {
                return -1;
            }
            c.assign(List.of(tp));
            c.seek(tp, next);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                List<ConsumerRecord<byte[], byte[]>> got = c.poll(POLL).records(tp);
                if (!got.isEmpty()) {
                    return got.get(0).timestamp();
                }
            }
            return -1;
        } finally {
            if (consumer != null) {
                consumer.unsubscribe();
            }
            lock.unlock();
        }
    }

    private T decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return codec.decode(bytes);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (closed) {
            throw new JournalClosedException("the journal is closed");
        }
        if (consumer == null) {
            consumer = factory.get();
        }
        return consumer;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (consumer != null) {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
                consumer = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
