package dev.llmhub.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmhub.core.journal.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A lane's last hour in one-minute buckets. */
class LaneTimelineTest {
    @Test
    void bucketsPerMinuteForAnHourThenForgets() {
        TestClock clock = new TestClock(Instant.parse("2026-11-30T10:00:10Z"));
        LaneTimeline t = new LaneTimeline(clock);
        t.exported(10);
        t.exportTook(Duration.ofMillis(20).toNanos());
        t.exportTook(Duration.ofMillis(40).toNanos());
        t.failed(2);
        t.retried(3);
        clock.advance(Duration.ofMinutes(1));
        t.exported(5);

        List<LaneTimeline.Minute> m = t.minutes();
        assertEquals(LaneTimeline.MINUTES, m.size());
        LaneTimeline.Minute now = m.get(59);
        LaneTimeline.Minute before = m.get(58);
        assertEquals(Instant.parse("2026-11-30T10:01:00Z"), now.start());
        assertEquals(5, now.exported());
        assertEquals(Instant.parse("2026-11-30T10:00:00Z"), before.start());
        assertEquals(new LaneTimeline.Minute(before.start(), 10, 2, 3, 2, 30.0, 40.0), before);
        assertEquals(0, m.get(0).exported());

        clock.advance(Duration.ofMinutes(59)); // 10:00 is now more than an hour ago
        t.exported(1);
        List<LaneTimeline.Minute> later = t.minutes();
        assertEquals(2, later.stream().mapToLong(LaneTimeline.Minute::exported).filter(x -> x > 0).count());
        assertEquals(5, later.get(0).exported(), "10:01 is the oldest minute kept");
        assertEquals(1, later.get(59).exported());
    }
}
