package dev.llmhub.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.core.delivery.TestDelivery;
import dev.llmhub.core.delivery.LaneStatus;
import dev.llmhub.core.delivery.Waits;
import dev.llmhub.core.record.SampleRecords;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zips swapped, removed and re-added while records flow: nothing lost, old class loaders collected. */
class HotSwapTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path plugins;

    private static LaneStatus swapLane(TestDelivery rt) {
        return rt.lane("swap");
    }

    @Test
    void swappingVersionsUnderLoadLosesNothingAndFreesOldClassLoaders() throws Exception {
        List<String> versions = List.of("1.0.0", "1.1.0", "1.2.0", "2.0.0");
        versions.forEach(BuiltPlugins::swap); // compile before the clock matters
        Path current = BuiltPlugins.install(BuiltPlugins.swap(versions.get(0)), plugins);
        List<String> received = new CopyOnWriteArrayList<>();
        Map<String, Object> settings = Map.of("sink", (Consumer<String>) received::add, "flush_interval", "5ms",
                "batch_size", 50);
        TestDelivery rt = TestDelivery.start(plugins, TestDelivery.config(List.of("swap"), Map.of("swap", settings)));
        Set<String> published = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> publishers = new ArrayList<>();
        List<WeakReference<ClassLoader>> oldLoaders = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                publishers.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        CallRecord r = SampleRecords.seedSuccess().build();
                        published.add(r.id());
                        rt.publish(r);
                        // Pace the load (a few thousand records/s per thread) so memory stays small
                        // however long the swaps take on a busy machine.
                        LockSupport.parkNanos(200_000);
                    }
                }));
            }
            Waits.until(WAIT, "records exported by the first version", () -> swapLane(rt), () -> !received.isEmpty());
            for (String next : versions.subList(1, versions.size())) {
                oldLoaders.add(new WeakReference<>(rt.host.classLoader("swap").orElseThrow()));
                String previous = received.isEmpty() ? "" : received.get(received.size() - 1);
                Path installed = BuiltPlugins.install(BuiltPlugins.swap(next), plugins);
                Files.delete(current);
                current = installed;
                assertEquals(List.of("swap"), rt.host.reload().replaced());
                Waits.until(WAIT, "records exported by " + next, () -> swapLane(rt),
                        () -> received.stream().skip(Math.max(0, received.size() - 5)).anyMatch(s -> s.startsWith(next + "|")));
                assertTrue(previous.isEmpty() || !previous.startsWith(next));
            }
        } finally {
            stop.set(true);
            for (Thread t : publishers) {
                t.join();
            }
            Waits.until(WAIT, "the last records", () -> swapLane(rt), () -> received.size() >= published.size());
        }
        LaneStatus lane = swapLane(rt);
        rt.close();
        assertEquals(0, lane.counters().dropped(), lane.toString());
        assertEquals(0, lane.counters().failed(), lane.toString());
        assertEquals(0, lane.counters().retried(), lane.toString());
        List<String> ids = received.stream().map(s -> s.substring(s.indexOf('|') + 1)).toList();
        assertEquals(published.size(), ids.size(), "every record exported exactly once");
        assertEquals(published, new HashSet<>(ids));
        for (String v : versions) {
            assertTrue(received.stream().anyMatch(s -> s.startsWith(v + "|")), "nothing exported by " + v);
        }

        // The old class loaders must be collectable: nothing in the proxy may still reference them.
        Waits.untilCollected(WAIT, "old plugin class loaders", oldLoaders);
    }

    @Test
    void aRemovedPluginsLaneHoldsRecordsUntilItReturns_viaTheDirectoryWatcher() throws Exception {
        Path zip = BuiltPlugins.install(BuiltPlugins.swap("1.0.0"), plugins);
        List<String> received = new CopyOnWriteArrayList<>();
        TestDelivery rt = TestDelivery.start(plugins, TestDelivery.config(List.of("swap"),
                Map.of("swap", Map.of("sink", (Consumer<String>) received::add, "flush_interval", "5ms"))));
        rt.host.watch();
        try {
            Files.delete(zip);
            Waits.until(WAIT, "the watcher to unload the plugin", rt.host::plugins, () -> rt.host.plugins().isEmpty());
            assertEquals("waiting", swapLane(rt).state());
            for (int i = 0; i < 25; i++) {
                rt.publish(SampleRecords.seedSuccess().build());
            }
            Waits.until(WAIT, "the records to wait in the journal", () -> swapLane(rt),
                    () -> swapLane(rt).lag().entries() == 25);
            assertTrue(received.isEmpty());
            BuiltPlugins.install(BuiltPlugins.swap("1.1.0"), plugins);
            Waits.until(WAIT, "held records delivered by the returning plugin", () -> swapLane(rt),
                    () -> received.size() == 25 && swapLane(rt).counters().exported() == 25);
            assertTrue(received.stream().allMatch(s -> s.startsWith("1.1.0|")));
            assertEquals("active", swapLane(rt).state());
            Waits.until(WAIT, "the lag to go", () -> swapLane(rt), () -> swapLane(rt).lag().entries() == 0);
        } finally {
            rt.close();
        }
    }
}
