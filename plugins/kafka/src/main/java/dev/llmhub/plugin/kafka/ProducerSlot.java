package dev.llmhub.plugin.kafka;

import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;

/**
 * Holds the destination's one producer. It is made on first use, not when the destination is
 * created: making one resolves the bootstrap servers' names, and a name that does not resolve yet
 * (DNS still catching up with a new cluster) must be a retryable export, not a proxy that refuses to
 * start. An idempotent producer that hit a fatal error refuses every later send, so it can be
 * replaced; closing it releases its network thread and unregisters its JMX metrics.
 */
final class ProducerSlot implements AutoCloseable {
    private final Supplier<Producer<byte[], byte[]>> factory;
    private final Duration closeTimeout;
    private Producer<byte[], byte[]> current;
    private boolean closed;

    /**
     * @param factory      makes a producer; throws {@link org.apache.kafka.common.KafkaException} when it cannot
     * @param closeTimeout how long closing waits for records still in flight
     */
    ProducerSlot(Supplier<Producer<byte[], byte[]>> factory, Duration closeTimeout) {
        this.factory = factory;
        this.closeTimeout = closeTimeout;
    }

    /** @return the producer, made now if there is none */
    synchronized Producer<byte[], byte[]> get() {
        if (closed) {
            throw new IllegalStateException("the Kafka destination is closed");
        }
        if (current == null) {
            current = factory.get();
        }
        return current;
    }

    /**
     * Closes this producer if it is still the current one; the next {@link #get()} makes a new one.
     * Sends of it still in flight (another export) fail, and are retried by the core.
     *
     * @param broken the producer that failed
     */
    void replace(Producer<byte[], byte[]> broken) {
        synchronized (this) {
            if (current != broken) {
                return;
            }
            current = null;
        }
        broken.close(Duration.ZERO);
    }

    @Override
    public void close() {
        Producer<byte[], byte[]> last;
        synchronized (this) {
            closed = true;
            last = current;
            current = null;
        }
        if (last != null) {
            last.close(closeTimeout);
        }
    }
}
