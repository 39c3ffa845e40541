package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.config.ConfigLoader;
import dev.llmhub.core.config.DeliveryConfig;
import dev.llmhub.core.config.LaneTuning;
import dev.llmhub.core.journal.Journal;
import dev.llmhub.core.journal.JournalObserver;
import dev.llmhub.core.journal.MemoryJournal;
import dev.llmhub.core.plugin.PluginHost;
import dev.llmhub.core.record.CallRecordCodec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The delivery side as the proxy runs it — a journal, the plugin host over a real plugins directory,
 * the lanes — without the HTTP server, for tests that publish records and watch what plugins get.
 */
public final class TestDelivery implements AutoCloseable {
    public final PrometheusMeterRegistry registry;
    public final Journal<CallRecord> journal;
    public final PluginHost host;
    public final Delivery delivery;

    private TestDelivery(PrometheusMeterRegistry registry, Journal<CallRecord> journal, PluginHost host,
                         Delivery delivery) {
        this.registry = registry;
        this.journal = journal;
        this.host = host;
        this.delivery = delivery;
    }

    /**
     * Loads the plugins, starts the lanes (in-memory journal, 64 MiB).
     *
     * @throws dev.llmhub.core.config.ConfigException as the proxy's start would
     */
    public static TestDelivery start(Path plugins, DeliveryConfig config) {
        MemoryJournal<CallRecord> journal = new MemoryJournal<>(64L << 20, new CallRecordCodec(), JournalObserver.NONE,
                Clock.systemUTC());
        PluginHost host = new PluginHost(plugins);
        try {
            host.reload();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Delivery delivery = Delivery.start(config, journal, false, host, registry, "test");
            return new TestDelivery(registry, journal, host, delivery);
        } catch (RuntimeException e) {
            host.close();
            journal.close();
            throw e;
        }
    }

    /**
     * A delivery config as the loader makes it: the lane keys of {@code settings} (strings or numbers)
     * are read by the real config loader; the whole map, objects included, is what plugins see.
     */
    public static DeliveryConfig config(List<String> callbacks, Map<String, Map<String, Object>> settings) {
        return config(callbacks, List.of(), settings, List.of());
    }

    /**
     * As {@link #config(List, Map)}, with {@code success_callback} names and {@code redact_headers}.
     */
    public static DeliveryConfig config(List<String> callbacks, List<String> successCallbacks,
                                        Map<String, Map<String, Object>> settings, List<String> redactHeaders) {
        StringBuilder yaml = new StringBuilder("callback_settings:\n");
        settings.forEach((name, s) -> {
            yaml.append("  \"").append(name).append("\":\n");
            s.forEach((k, v) -> {
                if (LaneTuning.KEYS.contains(k)) {
                    yaml.append("    ").append(k).append(": ").append(v instanceof String str ? "\"" + str + "\"" : v)
                            .append('\n');
                }
            });
            yaml.append("    _: 0\n");
        });
        DeliveryConfig parsed = new ConfigLoader(Map.of()).parse("test.yaml", Path.of("test.yaml"), yaml.toString())
                .delivery();
        return new DeliveryConfig(callbacks, successCallbacks, List.of(), false, settings, parsed.tuning(), false,
                redactHeaders.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList(), Map.of());
    }

    /** @param r a record, as the request path hands it over */
    public void publish(CallRecord r) {
        delivery.sink().publish(r);
    }

    /** @param name a lane @return its state now */
    public LaneStatus lane(String name) {
        return delivery.lanes().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        delivery.close();
        host.close();
        journal.close();
    }
}
