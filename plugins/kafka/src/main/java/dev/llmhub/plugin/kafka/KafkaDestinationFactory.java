package dev.llmhub.plugin.kafka;

import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.PluginContext;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.pf4j.Extension;

/**
 * {@code kafka}: produces one message per call record to a Kafka topic
 * ({@code docs/destinations/kafka.md}). Creating it checks the settings only; the producer is made by
 * the first export, so the proxy starts while the brokers are down or their names do not resolve yet.
 */
@Extension
public final class KafkaDestinationFactory implements DestinationFactory {
    /** How long closing waits for sends in flight (there are none after the last export returned). */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Destination create(PluginContext context) {
        KafkaSettings settings = KafkaSettings.from(context);
        context.logger().log(System.Logger.Level.INFO, "kafka destination produces to topic " + settings.topic()
                + " at " + settings.bootstrapForLog() + " (acks " + settings.producerConfig().get("acks")
                + ", compression " + settings.producerConfig().get("compression.type") + ", " + settings.securityProtocol()
                + (settings.idempotent() ? ", idempotent)" : "; not idempotent: acks below all, a retried send may"
                + " write a message twice)"));
        ProducerSlot producers = new ProducerSlot(() -> new KafkaProducer<>(settings.producerConfig()), CLOSE_TIMEOUT);
        return new KafkaDestination(settings, producers, new CallMessages(settings.topic(), context::toJsonUtf8),
                context.logger(), context.metrics());
    }
}
