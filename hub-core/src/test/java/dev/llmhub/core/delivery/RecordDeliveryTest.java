package dev.llmhub.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.journal.JournalObserver;
import dev.llmhub.core.journal.MemoryJournal;
import dev.llmhub.core.plugin.PluginInvoker;
import dev.llmhub.core.record.CallRecordCodec;
import dev.llmhub.core.record.SampleRecords;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where one record stands in a lane (the console's call page), through real lanes over a real
 * in-memory journal: delivered at T, retrying with the last reason, failed with the reason per record,
 * pending while paused, not sent to a lane that takes only successes, pending again after a replay.
 */
class RecordDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MemoryJournal<CallRecord> journal = new MemoryJournal<>(64L << 20, new CallRecordCodec(),
            JournalObserver.NONE, Clock.systemUTC());
    private final List<Lane> lanes = new ArrayList<>();

    @AfterEach
    void stop() {
        lanes.forEach(l -> l.stop(Duration.ofSeconds(5), false));
        journal.close();
    }

    private Lane lane(String name, Subscription sub, Destination d) {
        LaneSettings s = LaneTest.settings(10, Duration.ofMillis(10), 1, Duration.ofSeconds(5), Duration.ZERO);
        Lane lane = new Lane(name, LaneKind.DESTINATION, s, sub, journal.open(name, s.startFrom()),
                new RedactionPolicy(List.of(), true), registry);
        lane.bind(new Binding("test", "1", d, new PluginInvoker(name, getClass().getClassLoader()), () -> { }));
        lanes.add(lane);
        lane.start();
        return lane;
    }

    private static final Subscription ALL = new Subscription(true, true, false);

    private static RecordDelivery until(Lane lane, long offset, CallStatus status, RecordDelivery.State state) {
        AtomicReference<RecordDelivery> last = new AtomicReference<>();
        Waits.until(WAIT, "state " + state + " of offset " + offset + " in " + lane.name, last::get, () -> {
            last.set(lane.deliveryOf(offset, status));
            return last.get().state() == state && lane.stateOf(offset, status) == state;
        });
        return last.get();
    }

    @Test
    void deliveredRecordsSayWhen() {
        Instant before = Instant.now();
        Lane lane = lane("ok", ALL, batch -> ExportResult.success());
        long offset = journal.append(SampleRecords.seedSuccess().build()).offset();
        RecordDelivery d = until(lane, offset, CallStatus.SUCCESS, RecordDelivery.State.DELIVERED);
        assertTrue(!d.time().orElseThrow().isBefore(before.minusMillis(1)), d.toString());
        assertEquals("ok", d.lane());
        assertEquals("active", d.laneState());
        assertTrue(d.reason().isEmpty(), d.toString());
    }

    @Test
    void aFailingDestinationShowsRetryingWithItsReasonThenDelivered() {
        AtomicReference<ExportResult> answer = new AtomicReference<>(
                ExportResult.retryable("Connection refused: localhost/127.0.0.1:9"));
        Lane lane = lane("down", ALL, batch -> answer.get());
        long offset = journal.append(SampleRecords.seedSuccess().build()).offset();
        RecordDelivery r = until(lane, offset, CallStatus.SUCCESS, RecordDelivery.State.RETRYING);
        assertTrue(r.reason().orElseThrow().startsWith("Connection refused: localhost/127.0.0.1:9 ("), r.toString());
        assertTrue(r.reason().orElseThrow().contains("failed; next in"), r.toString());
        // a second record behind it waits: pending, saying the lane retries and why
        long second = journal.append(SampleRecords.seedSuccess().build()).offset();
        RecordDelivery p = lane.deliveryOf(second, CallStatus.SUCCESS);
        if (p.state() == RecordDelivery.State.PENDING) {
            assertTrue(p.reason().orElseThrow().contains("Connection refused"), p.toString());
        }
        answer.set(ExportResult.success());
        until(lane, offset, CallStatus.SUCCESS, RecordDelivery.State.DELIVERED);
        until(lane, second, CallStatus.SUCCESS, RecordDelivery.State.DELIVERED);
    }

    @Test
    void permanentFailuresKeepEachRecordsReason() {
        CallRecord a = SampleRecords.seedSuccess().build();
        CallRecord b = SampleRecords.seedSuccess().build();
        CallRecord c = SampleRecords.seedSuccess().build();
        long oa = journal.append(a).offset();
        long ob = journal.append(b).offset();
        long oc = journal.append(c).offset();
        Lane lane = lane("partial", ALL, batch -> new ExportResult.Partial(Map.of(
                a.id(), ExportResult.permanent("mapping conflict on usage"),
                b.id(), ExportResult.permanent("document too large"))));
        assertEquals("rejected permanently: mapping conflict on usage",
                until(lane, oa, CallStatus.SUCCESS, RecordDelivery.State.FAILED).reason().orElseThrow());
        assertEquals("rejected permanently: document too large",
                until(lane, ob, CallStatus.SUCCESS, RecordDelivery.State.FAILED).reason().orElseThrow());
        until(lane, oc, CallStatus.SUCCESS, RecordDelivery.State.DELIVERED);
    }

    @Test
    void aSuccessOnlyLaneNeverGetsAFailedCall() {
        Lane lane = lane("successes", new Subscription(true, false, false), batch -> ExportResult.success());
        long offset = journal.append(SampleRecords.rateLimitedFailure().build()).offset();
        RecordDelivery d = until(lane, offset, CallStatus.FAILURE, RecordDelivery.State.NOT_SENT);
        assertEquals("this destination receives success calls only", d.reason().orElseThrow());
    }

    @Test
    void pausedThenReplayed() {
        Lane lane = lane("paused", ALL, batch -> ExportResult.success());
        long offset = journal.append(SampleRecords.seedSuccess().build()).offset();
        until(lane, offset, CallStatus.SUCCESS, RecordDelivery.State.DELIVERED);
        lane.pause(true);
        long held = journal.append(SampleRecords.seedSuccess().build()).offset();
        RecordDelivery p = until(lane, held, CallStatus.SUCCESS, RecordDelivery.State.PENDING);
        Waits.until(WAIT, "the paused state", lane::status, () -> lane.status().state().equals("paused"));
        p = lane.deliveryOf(held, CallStatus.SUCCESS);
        assertEquals("the lane is paused; the record waits in the journal", p.reason().orElseThrow());
        assertEquals("paused", p.laneState());
        assertEquals(1, p.lagRecords());

        lane.seek(offset); // replay from the first record: both pending until the lane resumes
        assertEquals(RecordDelivery.State.PENDING, lane.deliveryOf(offset, CallStatus.SUCCESS).state());
        lane.pause(false);
        until(lane, offset, CallStatus.SUCCESS, RecordDelivery.State.DELIVERED);
        until(lane, held, CallStatus.SUCCESS, RecordDelivery.State.DELIVERED);
        // the first record was delivered twice (the held one may be too: a batch taken before the pause finishes)
        long exported = lane.status().counters().exported();
        assertTrue(exported >= 3, "exported " + exported);
        long total = lane.timeline.minutes().stream().mapToLong(LaneTimeline.Minute::exported).sum();
        assertEquals(exported, total, "the timeline counts what the counters count");
    }
}
