package dev.llmhub.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.journal.JournalObserver;
import dev.llmhub.core.journal.JournalReader;
import dev.llmhub.core.journal.MemoryJournal;
import dev.llmhub.core.journal.StartFrom;
import dev.llmhub.core.plugin.PluginInvoker;
import dev.llmhub.core.record.CallRecordCodec;
import dev.llmhub.core.record.SampleRecords;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One lane over a real (in-memory) journal, with in-memory destinations: batching, retry, narrowing,
 * the journal's bounds, stop and resume, hold, concurrency, stuck plugins, pause, replay, metrics.
 */
class LaneTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private MemoryJournal<CallRecord> journal = journal(64L << 20);
    private final List<Lane> lanes = new ArrayList<>();

    @AfterEach
    void stopLanes() {
        lanes.forEach(l -> l.stop(Duration.ofSeconds(5), false));
        journal.close();
    }

    private static MemoryJournal<CallRecord> journal(long budget) {
        return new MemoryJournal<>(budget, new CallRecordCodec(), JournalObserver.NONE, Clock.systemUTC());
    }

    static LaneSettings settings(int batch, Duration flush, int concurrency, Duration timeout, Duration maxRetryElapsed) {
        return new LaneSettings(batch, 4L << 20, flush, concurrency, timeout, maxRetryElapsed, Duration.ofMillis(10),
                Duration.ofMillis(100), Duration.ofSeconds(10), 100, true, StartFrom.EARLIEST);
    }

    private static LaneSettings settings(int batch, Duration flush) {
        return settings(batch, flush, 2, Duration.ofSeconds(5), Duration.ZERO);
    }

    private Lane unbound(String name, LaneSettings s, Subscription sub) {
        Lane lane = new Lane(name, LaneKind.DESTINATION, s, sub, journal.open(name, s.startFrom()),
                new RedactionPolicy(List.of(), true), registry);
        lanes.add(lane);
        return lane;
    }

    private Lane lane(String name, LaneSettings s, Destination d) {
        Lane lane = unbound(name, s, new Subscription(true, true, false));
        lane.bind(binding(name, d));
        return lane;
    }

    private Binding binding(String name, Destination d) {
        return new Binding("test", "1", d, new PluginInvoker(name, getClass().getClassLoader()), () -> { });
    }

    private static List<CallRecord> records(int n) {
        return IntStream.range(0, n).mapToObj(i -> SampleRecords.seedSuccess().id(UUID.randomUUID().toString()).build())
                .toList();
    }

    private List<CallRecord> append(int n) {
        List<CallRecord> rs = records(n);
        rs.forEach(journal::append);
        return rs;
    }

    private static List<String> ids(List<CallRecord> rs) {
        return rs.stream().map(CallRecord::id).toList();
    }

    @Test
    void retryWaitsAtLeastWhatRetryAfterAsks() {
        List<Long> calls = new CopyOnWriteArrayList<>();
        Lane lane = lane("retry-after", settings(10, Duration.ZERO), batch -> {
            calls.add(System.nanoTime());
            return calls.size() == 1 ? ExportResult.retryAfter(Duration.ofMillis(400), "429") : ExportResult.success();
        });
        lane.start();
        append(1);
        Waits.until(WAIT, "the retried export", lane::status, () -> lane.status().counters().exported() == 1);
        assertEquals(2, calls.size());
        assertTrue(calls.get(1) - calls.get(0) >= TimeUnit.MILLISECONDS.toNanos(400),
                "the retry came " + TimeUnit.NANOSECONDS.toMillis(calls.get(1) - calls.get(0)) + " ms after, not >= 400");
        assertEquals(new LaneCounters(1, 1, 0, 0), lane.status().counters());
        Waits.until(WAIT, "the acknowledgement", lane::status, () -> lane.status().lag().entries() == 0);
    }

    @Test
    void partialResultRetriesOnlyTheFailedRecordsAndCountsPermanentOnes() {
        List<CallRecord> rs = append(3); // in the journal before the lane starts: one batch of three
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        Lane lane = lane("partial", settings(10, Duration.ofSeconds(1)), batch -> {
            batches.add(ids(batch));
            if (batches.size() == 1) {
                return new ExportResult.Partial(Map.of(
                        rs.get(1).id(), ExportResult.retryable("shard busy"),
                        rs.get(2).id(), ExportResult.permanent("mapping conflict")));
            }
            return ExportResult.success();
        });
        lane.start();
        Waits.until(WAIT, "the narrowed retry", lane::status, () -> lane.status().counters().exported() == 2);
        assertEquals(List.of(ids(rs), List.of(rs.get(1).id())), batches);
        assertEquals(new LaneCounters(2, 1, 1, 0), lane.status().counters());
        Waits.until(WAIT, "the acknowledgements", lane::status, () -> lane.status().committed() == 3);
    }

    @Test
    void permanentFailureIsCountedAcknowledgedAndNeverRetried() {
        AtomicInteger calls = new AtomicInteger();
        append(4);
        Lane lane = lane("permanent", settings(10, Duration.ofSeconds(1)), batch -> {
            calls.incrementAndGet();
            return ExportResult.permanent("401 bad credentials");
        });
        lane.start();
        Waits.until(WAIT, "the failure count", lane::status, () -> lane.status().counters().failed() == 4);
        Waits.until(WAIT, "the acknowledgement", lane::status, () -> lane.status().committed() == 4);
        assertEquals(1, calls.get());
        assertEquals(new LaneCounters(0, 0, 4, 0), lane.status().counters());
    }

    @Test
    void whatTheJournalsBoundForcesOutIsCountedAsDroppedForTheLaggingLane() {
        journal.close();
        journal = journal(12 * new CallRecordCodec().estimateSize(records(1).get(0)));
        List<String> got = new CopyOnWriteArrayList<>();
        Lane lane = unbound("overflow", settings(100, Duration.ZERO), new Subscription(true, true, false));
        List<CallRecord> rs = append(40); // nothing reads yet: the journal keeps the newest it can hold
        lane.bind(binding("overflow", batch -> {
            batch.forEach(r -> got.add(r.id()));
            return ExportResult.success();
        }));
        lane.start();
        Waits.until(WAIT, "the kept records", lane::status,
                () -> lane.status().lag().entries() == 0 && lane.status().counters().exported() > 0);
        LaneCounters c = lane.status().counters();
        assertEquals(40, c.exported() + c.dropped(), c.toString());
        assertTrue(c.dropped() > 0, c.toString());
        assertEquals(ids(rs).subList(40 - got.size(), 40), got, "the newest records are the ones kept, in order");
        String scrape = registry.scrape();
        assertTrue(scrape.contains("llmhub_destination_records_total{destination=\"overflow\",outcome=\"dropped\"} "
                + (double) c.dropped()), scrape);
    }

    @Test
    void aStopLeavesUndeliveredRecordsInTheJournalAndTheNextLaneResumesThem() {
        AtomicInteger tries = new AtomicInteger();
        Lane down = lane("resume", settings(100, Duration.ZERO), batch -> {
            tries.incrementAndGet();
            return ExportResult.retryable("connection refused");
        });
        down.start();
        List<CallRecord> rs = append(300);
        Waits.until(WAIT, "a failed try", tries::get, () -> tries.get() > 0);
        assertEquals("retrying", down.status().state());
        assertEquals(300, down.stop(Duration.ofSeconds(5), false), "undelivered records reported at stop");
        lanes.remove(down);

        List<String> got = new CopyOnWriteArrayList<>();
        Lane up = lane("resume", settings(100, Duration.ZERO), batch -> {
            batch.forEach(r -> got.add(r.id()));
            return ExportResult.success();
        });
        up.start();
        Waits.until(WAIT, "every record after the restart", got::size, () -> got.size() == 300);
        assertEquals(ids(rs).stream().sorted().toList(), got.stream().sorted().toList());
    }

    @Test
    void aDrainingStopDeliversEverythingWithoutWaitingForTheFlushInterval() {
        List<String> got = new CopyOnWriteArrayList<>();
        Lane lane = lane("drain", settings(1000, Duration.ofMinutes(10)), batch -> {
            batch.forEach(r -> got.add(r.id()));
            return ExportResult.success();
        });
        lane.start();
        List<CallRecord> rs = append(300);
        assertEquals(0, lane.stop(Duration.ofSeconds(15), true));
        lanes.remove(lane);
        assertEquals(ids(rs).stream().sorted().toList(), got.stream().sorted().toList());
        assertEquals(new LaneCounters(300, 0, 0, 0), lane.status().counters());
        assertEquals("closed", lane.status().state());
    }

    @Test
    void anExportThatIgnoresItsTimeoutIsHandedToANewWorker() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Lane lane = lane("hang-once", settings(10, Duration.ZERO, 1, Duration.ofMillis(200), Duration.ZERO), batch -> {
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
        append(1);
        Waits.until(WAIT, "the batch delivered by a new worker", lane::status,
                () -> lane.status().counters().exported() == 1);
        assertEquals(2, calls.get());
        assertTrue(lane.status().lastError().orElseThrow().message().contains("ignored the interrupt"),
                lane.status().toString());
        append(3);
        Waits.until(WAIT, "the lane going on", lane::status, () -> lane.status().counters().exported() == 4);
        release.countDown();
    }

    @Test
    void aLaneWithoutAPluginHoldsRecordsUntilOneIsBound() {
        Lane lane = unbound("held", settings(10, Duration.ZERO), new Subscription(true, true, false));
        lane.start();
        append(7);
        assertEquals("waiting", lane.status().state());
        Waits.until(WAIT, "the lag", lane::status, () -> lane.status().lag().entries() == 7);
        assertTrue(registry.scrape().contains("llmhub_destination_lag_records{destination=\"held\"} 7.0"));
        List<String> got = new CopyOnWriteArrayList<>();
        lane.bind(binding("held", batch -> {
            batch.forEach(r -> got.add(r.id()));
            return ExportResult.success();
        }));
        Waits.until(WAIT, "held records", lane::status, () -> lane.status().counters().exported() == 7);
        assertEquals(7, got.size());
    }

    @Test
    void runsUpToMaxConcurrentExportsAtOnce() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Lane lane = lane("concurrent", settings(1, Duration.ZERO, 3, Duration.ofSeconds(30), Duration.ZERO), batch -> {
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
        append(10);
        Waits.until(WAIT, "three exports in flight", inFlight::get, () -> inFlight.get() == 3);
        release.countDown();
        Waits.until(WAIT, "all exports", lane::status, () -> lane.status().counters().exported() == 10);
        assertEquals(3, most.get());
    }

    @Test
    void retriesStopWhenMaxRetryElapsedWouldPass() {
        AtomicInteger calls = new AtomicInteger();
        Lane lane = lane("give-up", settings(10, Duration.ZERO, 1, Duration.ofSeconds(5), Duration.ofMillis(300)), batch -> {
            calls.incrementAndGet();
            return ExportResult.retryable("503");
        });
        lane.start();
        append(1);
        Waits.until(WAIT, "giving up", lane::status, () -> lane.status().counters().failed() == 1);
        assertTrue(calls.get() >= 2, "retried at least once, got " + calls.get());
        assertEquals(calls.get() - 1, lane.status().counters().retried());
        Waits.until(WAIT, "the acknowledgement", lane::status, () -> lane.status().lag().entries() == 0);
    }

    @Test
    void aSuccessOnlyLaneSkipsFailuresWithoutCountingThem() {
        List<CallStatus> got = new CopyOnWriteArrayList<>();
        Lane lane = unbound("successes", settings(10, Duration.ZERO), new Subscription(true, false, false));
        lane.bind(binding("successes", batch -> {
            batch.forEach(r -> got.add(r.status()));
            return ExportResult.success();
        }));
        lane.start();
        journal.append(SampleRecords.rateLimitedFailure().build());
        append(2);
        Waits.until(WAIT, "the successes", lane::status, () -> lane.status().counters().exported() == 2);
        Waits.until(WAIT, "the skipped failure acknowledged", lane::status, () -> lane.status().committed() == 3);
        assertEquals(List.of(CallStatus.SUCCESS, CallStatus.SUCCESS), got);
        assertEquals(new LaneCounters(2, 0, 0, 0), lane.status().counters());
    }

    @Test
    void pausedLanesHoldRecordsAndAReplayDeliversThemAgain() {
        List<String> got = new CopyOnWriteArrayList<>();
        Lane lane = lane("replay", settings(10, Duration.ZERO), batch -> {
            batch.forEach(r -> got.add(r.id()));
            return ExportResult.success();
        });
        lane.start();
        lane.pause(true);
        List<CallRecord> rs = append(5);
        Waits.until(WAIT, "the lag while paused", lane::status, () -> lane.status().lag().entries() == 5);
        assertEquals("paused", lane.status().state());
        assertEquals(List.of(), got);
        lane.pause(false);
        Waits.until(WAIT, "delivery after resume", got::size, () -> got.size() == 5);
        lane.seek(journal.offsetAt(java.time.Instant.EPOCH));
        Waits.until(WAIT, "the replay", got::size, () -> got.size() == 10);
        assertEquals(ids(rs), got.subList(5, 10), "a replay delivers the same records again, in order");
    }

    /**
     * An idle lane's worker polls the journal back to back under the batcher's lock. A replay (or skip)
     * from the console must get that lock when the poll in progress ends, not lose it to the worker's
     * next poll again and again (an unfair lock did: seconds on a quiet box, over 30 s under load).
     * Counted in polls, not time: one worker, whose idle batch is five polls of at most 200 ms.
     */
    @Test
    void aReplayOfAnIdleLaneWaitsForOnePollAtMost() {
        AtomicInteger polls = new AtomicInteger();
        Lane lane = new Lane("idle", LaneKind.DESTINATION, settings(10, Duration.ZERO, 1, Duration.ofSeconds(5), Duration.ZERO),
                new Subscription(true, true, false),
                pollCounting(journal.open("idle", StartFrom.EARLIEST), polls), new RedactionPolicy(List.of(), true), registry);
        lanes.add(lane);
        lane.bind(binding("idle", batch -> ExportResult.success()));
        lane.start();
        Waits.until(WAIT, "the worker polling", polls::get, () -> polls.get() >= 3);
        for (int i = 0; i < 3; i++) {
            int before = polls.get();
            lane.seek(0);
            int during = polls.get() - before;
            assertTrue(during <= 6, "seek " + i + " waited through " + during + " polls of the idle worker");
        }
    }

    /** @return {@code r}, counting its polls */
    @SuppressWarnings("unchecked")
    private static JournalReader<CallRecord> pollCounting(JournalReader<CallRecord> r, AtomicInteger polls) {
        return (JournalReader<CallRecord>) Proxy.newProxyInstance(JournalReader.class.getClassLoader(),
                new Class<?>[] {JournalReader.class}, (proxy, method, args) -> {
                    if (method.getName().equals("poll")) {
                        polls.incrementAndGet();
                    }
                    try {
                        return method.invoke(r, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void metricsHaveThePrometheusNamesTheDocsPromise() {
        Lane lane = lane("names", settings(10, Duration.ZERO), batch -> ExportResult.success());
        lane.start();
        append(1);
        Waits.until(WAIT, "one export", lane::status, () -> lane.status().counters().exported() == 1);
        Waits.until(WAIT, "no lag", lane::status, () -> lane.status().lag().entries() == 0);
        String scrape = registry.scrape();
        for (String expected : List.of(
                "llmhub_destination_records_total{destination=\"names\",outcome=\"exported\"} 1.0",
                "llmhub_destination_records_total{destination=\"names\",outcome=\"retried\"} 0.0",
                "llmhub_destination_records_total{destination=\"names\",outcome=\"failed\"} 0.0",
                "llmhub_destination_records_total{destination=\"names\",outcome=\"dropped\"} 0.0",
                "llmhub_destination_lag_records{destination=\"names\"} 0.0",
                "llmhub_destination_lag_bytes{destination=\"names\"} 0.0",
                "llmhub_destination_lag_seconds{destination=\"names\"} 0.0",
                "llmhub_destination_state{destination=\"names\",state=\"active\"} 1.0",
                "llmhub_destination_state{destination=\"names\",state=\"retrying\"} 0.0",
                "llmhub_destination_export_seconds_bucket{destination=\"names\",le=",
                "llmhub_destination_export_seconds_count{destination=\"names\"} 1")) {
            assertTrue(scrape.contains(expected), "missing " + expected + " in\n" + scrape);
        }
    }
}
