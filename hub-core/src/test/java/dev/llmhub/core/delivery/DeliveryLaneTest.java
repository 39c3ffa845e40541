package dev.llmhub.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.plugin.PluginInvoker;
import dev.llmhub.core.record.SampleRecords;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lane on its own, with in-memory destinations: batching, retry, narrowing, overflow, drain, hold. */
class DeliveryLaneTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Lane> lanes = new ArrayList<>();

    @AfterEach
    void closeLanes() {
        lanes.forEach(l -> l.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)));
    }

    private static LaneSettings settings(int queue, int batch, Duration flush, Duration timeout) {
        return new LaneSettings(queue, batch, 4L << 20, flush, 2, timeout, Duration.ofSeconds(30),
                Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10), true);
    }

    private DeliveryLane lane(String name, LaneSettings s, Destination d) {
        DeliveryLane lane = new DeliveryLane(name, s, new Subscription(true, true, false),
                new RedactionPolicy(List.of(), true), registry);
        lane.bind(new Binding("test", "1", d, new PluginInvoker(name, getClass().getClassLoader(), 5)));
        lanes.add(lane);
        return lane;
    }

    private static List<CallRecord> records(int n) {
        return IntStream.range(0, n).mapToObj(i -> SampleRecords.seedSuccess().build()).toList();
    }

    @Test
    void retryWaitsAtLeastWhatRetryAfterAsks() {
        List<Long> calls = new CopyOnWriteArrayList<>();
        DeliveryLane lane = lane("retry-after", settings(100, 10, Duration.ZERO, Duration.ofSeconds(5)), batch -> {
            calls.add(System.nanoTime());
            return calls.size() == 1 ? ExportResult.retryAfter(Duration.ofMillis(400), "429") : ExportResult.success();
        });
        lane.start();
        lane.offer(records(1).get(0));
        Waits.until(WAIT, "the retried export", lane::counters, () -> lane.counters().exported() == 1);
        assertEquals(2, calls.size());
        assertTrue(calls.get(1) - calls.get(0) >= TimeUnit.MILLISECONDS.toNanos(400),
                "the retry came " + TimeUnit.NANOSECONDS.toMillis(calls.get(1) - calls.get(0)) + " ms after, not >= 400");
        assertEquals(new LaneCounters(1, 1, 0, 0), lane.counters());
        assertEquals(0, lane.queueDepth());
    }

    @Test
    void partialResultRetriesOnlyTheFailedRecordsAndCountsPermanentOnes() {
        List<CallRecord> rs = records(3);
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        DeliveryLane lane = lane("partial", settings(100, 10, Duration.ofSeconds(1), Duration.ofSeconds(5)), batch -> {
            batches.add(batch.stream().map(CallRecord::id).toList());
            if (batches.size() == 1) {
                return new ExportResult.Partial(Map.of(
                        rs.get(1).id(), ExportResult.retryable("shard busy"),
                        rs.get(2).id(), ExportResult.permanent("mapping conflict")));
            }
            return ExportResult.success();
        });
        rs.forEach(lane::offer); // queued before start: one batch of three
        lane.start();
        Waits.until(WAIT, "the narrowed retry", lane::counters, () -> lane.counters().exported() == 2);
        assertEquals(List.of(rs.stream().map(CallRecord::id).toList(), List.of(rs.get(1).id())), batches);
        assertEquals(new LaneCounters(2, 1, 1, 0), lane.counters());
    }

    @Test
    void permanentFailureIsCountedAndNeverRetried() {
        AtomicInteger calls = new AtomicInteger();
        DeliveryLane lane = lane("permanent", settings(100, 10, Duration.ofSeconds(1), Duration.ofSeconds(5)), batch -> {
            calls.incrementAndGet();
            return ExportResult.permanent("401 bad credentials");
        });
        records(4).forEach(lane::offer);
        lane.start();
        Waits.until(WAIT, "the failure count", lane::counters, () -> lane.counters().failed() == 4);
        lane.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        assertEquals(1, calls.get());
        assertEquals(new LaneCounters(0, 0, 4, 0), lane.counters());
    }

    @Test
    void overflowDropsTheOldestAndCountsIt() {
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        DeliveryLane lane = lane("overflow", settings(5, 100, Duration.ZERO, Duration.ofSeconds(5)), batch -> {
            batch.forEach(r -> got.add(r.id()));
            return ExportResult.success();
        });
        List<CallRecord> rs = records(20);
        rs.forEach(lane::offer); // not started: the queue holds 5
        assertEquals(5, lane.queueDepth());
        assertEquals(15, lane.counters().dropped());
        lane.start();
        Waits.until(WAIT, "the kept records", lane::counters, () -> lane.counters().exported() == 5);
        assertEquals(rs.subList(15, 20).stream().map(CallRecord::id).toList(), got);
        String scrape = registry.scrape();
        assertTrue(scrape.contains("llmhub_destination_records_total{destination=\"overflow\",outcome=\"dropped\"} 15.0"), scrape);
    }

    @Test
    void closeDeliversEverythingQueuedWithoutWaitingForTheFlushInterval() {
        List<String> got = new CopyOnWriteArrayList<>();
        DeliveryLane lane = lane("drain", settings(10_000, 1000, Duration.ofMinutes(10), Duration.ofSeconds(5)), batch -> {
            batch.forEach(r -> got.add(r.id()));
            return ExportResult.success();
        });
        lane.start();
        List<CallRecord> rs = records(300);
        rs.forEach(lane::offer);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> lane.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(15)));
        assertEquals(rs.stream().map(CallRecord::id).sorted().toList(), got.stream().sorted().toList());
        assertEquals(new LaneCounters(300, 0, 0, 0), lane.counters());
        assertEquals("closed", lane.status().state());
    }

    @Test
    void aHangingExportTimesOutIsRetriedAndPublishingNeverWaits() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        DeliveryLane lane = lane("hang-once", settings(50, 10, Duration.ZERO, Duration.ofMillis(200)), batch -> {
            if (calls.incrementAndGet() == 1) {
                while (true) {
                    try {
                        if (release.await(1, TimeUnit.DAYS)) {
                            return ExportResult.success();
                        }
                    } catch (InterruptedException ignored) {
                        // a stuck plugin ignores interrupts
                    }
                }
            }
            return ExportResult.success();
        });
        lane.start();
        CallRecord first = records(1).get(0);
        lane.offer(first);
        Waits.until(WAIT, "the retry after the timeout", lane::counters, () -> lane.counters().exported() == 1);
        assertTrue(lane.counters().retried() >= 1);
        // Publishing goes on at full speed whatever the destination does.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> records(1000).forEach(lane::offer));
        release.countDown();
    }

    @Test
    void aLaneWithoutProviderHoldsRecordsUntilOneIsBound() {
        DeliveryLane lane = new DeliveryLane("held", settings(100, 10, Duration.ZERO, Duration.ofSeconds(5)),
                new Subscription(true, true, false), new RedactionPolicy(List.of(), true), registry);
        lanes.add(lane);
        lane.start();
        records(7).forEach(lane::offer);
        assertEquals("waiting", lane.status().state());
        assertEquals(7, lane.queueDepth());
        assertTrue(registry.scrape().contains("llmhub_destination_queue_depth{destination=\"held\"} 7.0"));
        List<String> got = new CopyOnWriteArrayList<>();
        lane.bind(new Binding("late", "1", (Destination) batch -> {
            batch.forEach(r -> got.add(r.id()));
            return ExportResult.success();
        }, new PluginInvoker("held", getClass().getClassLoader(), 3)));
        Waits.until(WAIT, "held records", lane::counters, () -> lane.counters().exported() == 7);
        assertEquals(0, lane.queueDepth());
        assertEquals(7, got.size());
    }

    @Test
    void runsUpToMaxConcurrentExportsAtOnce() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        LaneSettings s = new LaneSettings(100, 1, 4L << 20, Duration.ZERO, 3, Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10), true);
        DeliveryLane lane = lane("concurrent", s, batch -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return ExportResult.success();
        });
        lane.start();
        records(10).forEach(lane::offer);
        Waits.until(WAIT, "three exports in flight", inFlight::get, () -> inFlight.get() == 3);
        assertEquals(10, lane.queueDepth());
        release.countDown();
        Waits.until(WAIT, "all exports", lane::counters, () -> lane.counters().exported() == 10);
        assertEquals(3, most.get());
    }

    @Test
    void retriesStopWhenMaxRetryElapsedWouldPass() {
        AtomicInteger calls = new AtomicInteger();
        LaneSettings s = new LaneSettings(100, 10, 4L << 20, Duration.ZERO, 1, Duration.ofSeconds(5),
                Duration.ofMillis(300), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(5), true);
        DeliveryLane lane = lane("give-up", s, batch -> {
            calls.incrementAndGet();
            return ExportResult.retryable("503");
        });
        lane.start();
        lane.offer(records(1).get(0));
        Waits.until(WAIT, "giving up", lane::counters, () -> lane.counters().failed() == 1);
        assertTrue(calls.get() >= 2, "retried at least once, got " + calls.get());
        assertEquals(calls.get() - 1, lane.counters().retried());
    }

    @Test
    void metricsHaveThePrometheusNamesTheDocsPromise() {
        DeliveryLane lane = lane("names", settings(100, 10, Duration.ZERO, Duration.ofSeconds(5)), batch -> ExportResult.success());
        lane.start();
        lane.offer(records(1).get(0));
        Waits.until(WAIT, "one export", lane::counters, () -> lane.counters().exported() == 1);
        String scrape = registry.scrape();
        for (String expected : List.of(
                "llmhub_destination_records_total{destination=\"names\",outcome=\"exported\"} 1.0",
                "llmhub_destination_records_total{destination=\"names\",outcome=\"retried\"} 0.0",
                "llmhub_destination_records_total{destination=\"names\",outcome=\"failed\"} 0.0",
                "llmhub_destination_queue_depth{destination=\"names\"} 0.0",
                "llmhub_destination_export_seconds_bucket{destination=\"names\",le=",
                "llmhub_destination_export_seconds_count{destination=\"names\"} 1")) {
            assertTrue(scrape.contains(expected), "missing " + expected + " in\n" + scrape);
        }
    }
}
