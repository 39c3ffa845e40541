package dev.llmhub.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.core.config.ConfigException;
import dev.llmhub.core.config.DeliveryConfig;
import dev.llmhub.core.delivery.TestDelivery;
import dev.llmhub.core.delivery.LaneCounters;
import dev.llmhub.core.delivery.LaneStatus;
import dev.llmhub.core.delivery.Waits;
import dev.llmhub.core.record.SampleRecords;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real plugin zips loaded by PF4J: faulty plugins stay in their own lane; startup errors are clear. */
class PluginFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ProxyInfo PROXY = new ProxyInfo("test", "0.1.0-test");

    @TempDir
    Path plugins;

    static DeliveryConfig config(List<String> callbacks, Map<String, Map<String, Object>> settings) {
        return TestDelivery.config(callbacks, settings);
    }

    static Map<String, Object> sinkTo(List<String> into, Object... more) {
        Map<String, Object> m = new HashMap<>();
        m.put("sink", (Consumer<String>) into::add);
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    private static LaneStatus lane(TestDelivery rt, String name) {
        return rt.lane(name);
    }

    @Test
    void aThrowingHangingSlowOrBrokenPluginAffectsOnlyItsOwnLane() {
        BuiltPlugins.install(BuiltPlugins.faulty(), plugins);
        List<String> collected = new CopyOnWriteArrayList<>();
        List<String> slow = new CopyOnWriteArrayList<>();
        List<String> failclose = new CopyOnWriteArrayList<>();
        List<String> handler = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        Map<String, Map<String, Object>> settings = new HashMap<>();
        settings.put("faulty.collect", sinkTo(collected, "flush_interval", "20ms"));
        settings.put("faulty.slow", sinkTo(slow, "delay_ms", 50, "batch_size", 5, "flush_interval", "10ms"));
        settings.put("faulty.failclose", sinkTo(failclose, "flush_interval", "10ms"));
        settings.put("faulty.handler", sinkTo(handler));
        settings.put("faulty.throwing", Map.of("max_retry_elapsed", "300ms", "retry_initial_backoff", "20ms", "flush_interval", "10ms"));
        settings.put("faulty.linkage", Map.of("max_retry_elapsed", "300ms", "retry_initial_backoff", "20ms", "flush_interval", "10ms"));
        settings.put("faulty.hanging", Map.of("release", release, "export_timeout", "200ms",
                "batch_size", 1, "max_concurrent_exports", 2, "drain_timeout", "1s", "flush_interval", "10ms"));
        List<String> names = List.of("faulty.collect", "faulty.throwing", "faulty.hanging", "faulty.slow",
                "faulty.linkage", "faulty.failclose", "faulty.handler", "faulty.throwing_handler");
        TestDelivery rt = TestDelivery.start(plugins, config(names, settings));
        try {
            assertEquals(names, rt.delivery.names());
            List<CallRecord> records = IntStream.range(0, 60).mapToObj(i -> (i % 3 == 0
                    ? SampleRecords.rateLimitedFailure() : SampleRecords.seedSuccess()).build()).toList();
            records.forEach(rt::publish);

            Waits.until(WAIT, "healthy lanes to deliver everything", rt.delivery::lanes, () ->
                    collected.size() == 60 && slow.size() == 60 && failclose.size() == 60 && handler.size() == 60
                            && List.of("faulty.collect", "faulty.slow", "faulty.failclose", "faulty.handler").stream()
                                    .allMatch(n -> lane(rt, n).counters().exported() == 60));
            Waits.until(WAIT, "faulty lanes to give up, and the hanging one to be stuck", rt.delivery::lanes, () ->
                    lane(rt, "faulty.throwing").counters().failed() == 60
                            && lane(rt, "faulty.linkage").counters().failed() == 60
                            && lane(rt, "faulty.throwing_handler").counters().failed() == 60
                            && lane(rt, "faulty.hanging").state().equals("stuck"));
            assertEquals(new LaneCounters(60, 0, 0, 0), lane(rt, "faulty.collect").counters());
            assertEquals(new LaneCounters(60, 0, 0, 0), lane(rt, "faulty.slow").counters());
            assertEquals(new LaneCounters(60, 0, 0, 0), lane(rt, "faulty.handler").counters());
            assertTrue(lane(rt, "faulty.throwing").counters().retried() > 0);
            assertEquals(0, lane(rt, "faulty.throwing").counters().exported());
            assertEquals(40, handler.stream().filter(s -> s.startsWith("success:")).count());
            assertEquals(20, handler.stream().filter(s -> s.startsWith("failure:")).count());
            // The hanging lane: every worker lost to the plugin, nothing exported, nothing dropped: the
            // records wait in the journal.
            LaneStatus hanging = lane(rt, "faulty.hanging");
            assertEquals(new LaneCounters(0, 0, 0, 0), hanging.counters(), hanging.toString());
            assertEquals(60, hanging.lag().entries(), hanging.toString());
            assertTrue(hanging.lastError().orElseThrow().message().contains("no worker is left"), hanging.toString());
            String scrape = rt.registry.scrape();
            assertTrue(scrape.contains("llmhub_plugin_batches_seen_total{destination=\"faulty.collect\"}"), scrape);
            assertTrue(scrape.contains("llmhub_destination_records_total{destination=\"faulty.linkage\",outcome=\"failed\"} 60.0"), scrape);
            assertTrue(scrape.contains("llmhub_handler_events_total{handler=\"faulty.handler\",outcome=\"exported\"} 60.0"), scrape);
            assertTrue(scrape.contains("llmhub_destination_state{destination=\"faulty.hanging\",state=\"stuck\"} 1.0"), scrape);
        } finally {
            // Close returns within the hanging lane's drain_timeout; failclose's close() throws, quietly.
            assertTimeoutPreemptively(Duration.ofSeconds(60), rt::close);
            release.countDown();
        }
        assertTrue(rt.delivery.lanes().isEmpty(), rt.delivery.lanes().toString());
    }

    @Test
    void anUnknownNameStopsStartupListingInstalledPluginsAndNames() {
        BuiltPlugins.install(BuiltPlugins.faulty(), plugins);
        BuiltPlugins.install(BuiltPlugins.swap("1.0.0"), plugins);
        ConfigException e = assertThrows(ConfigException.class, () -> TestDelivery.start(plugins,
                config(List.of("langfuse"), Map.of())));
        assertTrue(e.getMessage().contains("unknown callback 'langfuse'"), e.getMessage());
        for (String expected : List.of("faulty 1.0.0", "faulty.collect", "faulty.handler", "swap 1.0.0", "swap")) {
            assertTrue(e.getMessage().contains(expected), "missing " + expected + " in: " + e.getMessage());
        }
    }

    @Test
    void anEmptyPluginsDirectorySaysSo() {
        ConfigException e = assertThrows(ConfigException.class, () -> TestDelivery.start(plugins.resolve("missing"),
                config(List.of("otel"), Map.of())));
        assertTrue(e.getMessage().contains("no plugins are installed in"), e.getMessage());
    }

    @Test
    void badSettingsStopStartupNamingTheKey() {
        BuiltPlugins.install(BuiltPlugins.faulty(), plugins);
        ConfigException plugin = assertThrows(ConfigException.class, () -> TestDelivery.start(plugins,
                config(List.of("faulty.picky"), Map.of())));
        assertEquals("callback_settings.faulty.picky.endpoint: required", plugin.getMessage());
        ConfigException lane = assertThrows(ConfigException.class, () -> TestDelivery.config(List.of("faulty.collect"),
                Map.of("faulty.collect", Map.of("batch_size", "lots"))));
        assertTrue(lane.getMessage().startsWith("test.yaml:3: callback_settings.faulty.collect.batch_size: expected a whole number"),
                lane.getMessage());
    }

    @Test
    void ofTwoZipsOfOnePluginTheNewestVersionIsLoadedAndTheOtherShownAsSuperseded() {
        BuiltPlugins.install(BuiltPlugins.swap("1.1.0"), plugins);
        BuiltPlugins.install(BuiltPlugins.swap("1.0.0"), plugins);
        try (PluginHost host = new PluginHost(plugins)) {
            ReloadReport r = host.reload();
            assertEquals(List.of("swap"), r.loaded());
            List<PluginStatus> ps = host.plugins();
            assertEquals(2, ps.size(), ps.toString());
            assertEquals("1.1.0", ps.get(0).version());
            assertEquals("started", ps.get(0).state());
            assertEquals("superseded", ps.get(1).state());
            assertEquals("swap-1.0.0.zip", ps.get(1).file());
            assertEquals("1.1.0", host.resolve("swap").orElseThrow().pluginVersion());
            // Nothing changed on disk: a second reload does nothing.
            assertEquals(new ReloadReport(List.of(), List.of(), List.of(), List.of()), host.reload());
        }
    }

    @Test
    void loadingForConfiguredNamesLeavesTheOtherPluginsUntilSomethingListsThem() {
        BuiltPlugins.install(BuiltPlugins.faulty(), plugins);
        BuiltPlugins.install(BuiltPlugins.swap("1.0.0"), plugins);
        try (PluginHost host = new PluginHost(plugins)) {
            assertEquals(List.of("swap"), host.loadFor(List.of("swap")).loaded());
            assertTrue(host.resolve("faulty.collect").isEmpty(), "faulty is not configured: not loaded yet");
            List<PluginStatus> ps = host.plugins(); // lists every zip, so loads the rest
            assertEquals(List.of("started", "started"), ps.stream().map(PluginStatus::state).toList(), ps.toString());
            assertTrue(host.resolve("faulty.collect").isPresent());
        }
        try (PluginHost host = new PluginHost(plugins)) {
            // A name no loaded plugin offers loads everything, so the error can list every name.
            assertEquals(List.of("faulty", "swap"), host.loadFor(List.of("swap", "nope")).loaded().stream().sorted().toList());
        }
    }

    @Test
    void aZipWithoutExtensionIndexIsRefusedSayingWhy() {
        BuiltPlugins.install(BuiltPlugins.withoutExtensionIndex(), plugins);
        try (PluginHost host = new PluginHost(plugins)) {
            ReloadReport r = host.reload();
            assertEquals(1, r.failed().size(), r.toString());
            assertTrue(r.failed().get(0).startsWith("noindex-1.0.0.zip: it offers no DestinationFactory"), r.failed().get(0));
            assertTrue(r.failed().get(0).contains("META-INF/extensions.idx"), r.failed().get(0));
        }
    }

    @Test
    void aPluginThatBundlesThePluginApiIsRefusedWithAClearMessage() {
        BuiltPlugins.install(BuiltPlugins.bundlesApi(), plugins);
        ConfigException e = assertThrows(ConfigException.class, () -> TestDelivery.start(plugins,
                config(List.of("bundled"), Map.of())));
        assertTrue(e.getMessage().contains("bundles its own copy of the plugin API"), e.getMessage());
        assertTrue(e.getMessage().contains("<scope>provided</scope>"), e.getMessage());
    }
}
