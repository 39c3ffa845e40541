package dev.llmhub.core.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.core.config.RejectedRequestSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-second budget of records for refused requests, on a clock the test moves. */
class RejectedRecordsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong(123_456_789L);
    private final RejectedRecords records = new RejectedRecords(registry, now::get);

    private double skipped(int status) {
        var c = registry.find("llmhub.rejected.records.skipped").tag("status", Integer.toString(status)).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void admitsUpToTheBudgetInEachSecondAndCountsTheRest() {
        RejectedRequestSettings three = new RejectedRequestSettings(true, 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(records.admit(three, 401), "record " + i);
        }
        assertFalse(records.admit(three, 401));
        assertFalse(records.admit(three, 400));
        assertEquals(1, skipped(401));
        assertEquals(1, skipped(400));

        now.addAndGet(999_000_000L); // still the same second
        assertFalse(records.admit(three, 401));
        now.addAndGet(1_000_000L); // the next one
        for (int i = 0; i < 3; i++) {
            assertTrue(records.admit(three, 413), "record " + i + " of the next second");
        }
        assertFalse(records.admit(three, 413));
        assertEquals(2, skipped(401));
        assertEquals(1, skipped(413));

        now.addAndGet(3_600_000_000_000L); // an hour of quiet: a fresh budget
        assertTrue(records.admit(three, 401));
    }

    @Test
    void recordFalseSkipsAndCountsEveryOne() {
        RejectedRequestSettings off = new RejectedRequestSettings(false, 50);
        for (int i = 0; i < 5; i++) {
            assertFalse(records.admit(off, 404));
        }
        assertEquals(5, skipped(404));
        assertTrue(records.admit(RejectedRequestSettings.defaults(), 404), "a reload that turns it on takes effect at once");
    }
}
