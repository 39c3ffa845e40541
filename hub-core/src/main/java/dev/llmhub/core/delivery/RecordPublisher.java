package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.core.journal.Append;
import dev.llmhub.core.journal.Journal;
import dev.llmhub.core.journal.JournalClosedException;
import dev.llmhub.core.logging.ThrottledLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * The request path's entry into delivery: applies the proxy-wide redaction once and appends the
 * record to the journal (so no secret ever reaches the disk or a destination), and hands events to the
 * callback handlers that asked for them. Never waits for a destination.
 */
final class RecordPublisher implements CallSink {
    private static final System.Logger LOG = System.getLogger(RecordPublisher.class.getName());

    private final Journal<CallRecord> journal;
    private final Counter lost;
    private final ThrottledLog lostLog = new ThrottledLog(LOG, Duration.ofSeconds(10));
    private volatile RedactionPolicy policy;
    private volatile Lane[] eventLanes = new Lane[0];

    RecordPublisher(Journal<CallRecord> journal, RedactionPolicy policy, MeterRegistry registry) {
        this.journal = journal;
        this.policy = policy;
        this.lost = Counter.builder("llmhub.records.unjournaled")
                .description("Records that could not be appended to the journal because the proxy was stopping")
                .register(registry);
    }

    void policy(RedactionPolicy p) {
        this.policy = p;
    }

    void eventLanes(Lane[] lanes) {
        this.eventLanes = lanes;
    }

    @Override
    public Append publish(CallRecord record) {
        CallRecord safe = policy.apply(record);
        try {
            return journal.append(safe);
        } catch (JournalClosedException e) {
            lost.increment();
            lostLog.log(Level.WARNING, held -> "call " + record.id() + " answered while the proxy was stopping: its "
                    + "record could not be journaled" + ThrottledLog.heldBack(held));
            return NoopCallSink.DONE;
        }
    }

    @Override
    public void preApiCall(PreApiCall event) {
        for (Lane l : eventLanes) {
            l.offerEvent(event);
        }
    }

    @Override
    public void postApiCall(PostApiCall event) {
        for (Lane l : eventLanes) {
            l.offerEvent(event);
        }
    }

    @Override
    public void streamChunk(StreamChunk chunk) {
        for (Lane l : eventLanes) {
            l.offerEvent(chunk);
        }
    }
}
