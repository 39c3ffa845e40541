package dev.llmhub.core.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;

/** What the local journal's tests share: a folder of the test's own, a test clock and a recording observer. */
abstract class LocalJournalFixture {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    final TestClock clock = new TestClock(Instant.parse("2026-11-30T10:00:00Z"));
    final RecordingObserver observer = new RecordingObserver();

    /** @return options for a journal of strings in {@link #dir}, on the clock, observed; each test class sets the sizes */
    LocalJournal.Options<String> fixtureOptions() {
        return LocalJournal.Options.defaults(dir, new StringCodec()).withObserver(observer).withClock(clock);
    }
}
