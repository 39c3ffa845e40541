package dev.llmhub.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmhub.core.config.DeliveryConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

    @Test
    void namesFromTheThreeListsAndTheOtelFlagBecomeOneLaneEach() {
        DeliveryConfig c = new DeliveryConfig(List.of("custom_callbacks.proxy_handler_instance"),
                List.of("file", "langfuse"), List.of("langfuse", "elasticsearch"), true, Map.of(), Map.of(), false,
                List.of(), Map.of());
        Map<String, Subscription> s = Delivery.subscriptions(c);
        assertEquals(List.of("custom_callbacks.proxy_handler_instance", "otel", "file", "langfuse", "elasticsearch"),
                List.copyOf(s.keySet()));
        assertEquals(new Subscription(true, true, true), s.get("otel"));
        assertEquals(new Subscription(true, false, false), s.get("file"));
        assertEquals(new Subscription(true, true, false), s.get("langfuse"));
        assertEquals("failure", s.get("elasticsearch").describe());
    }

    @Test
    void otelNamedAndFlaggedIsOneLane() {
        DeliveryConfig c = new DeliveryConfig(List.of("otel"), List.of(), List.of(), true, Map.of(), Map.of(), false, List.of(),
                Map.of());
        assertEquals(List.of("otel"), List.copyOf(Delivery.subscriptions(c).keySet()));
    }
}
