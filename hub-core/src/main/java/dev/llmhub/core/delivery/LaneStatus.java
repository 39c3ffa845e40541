package dev.llmhub.core.delivery;

import dev.llmhub.core.journal.JournalReader;
import java.time.Instant;
import java.util.Optional;

/**
 * What the admin API, the console and {@code /metrics} show about one lane.
 *
 * @param name          the destination or handler name from the config
 * @param kind          destination or handler
 * @param state         {@code active} (delivering), {@code waiting} (no plugin serves the name: records
 *                      held in the journal), {@code paused}, {@code retrying} (the last export failed and
 *                      will be tried again), {@code stuck} (every worker is inside a call that outlived
 *                      its time limit), {@code closed}
 * @param plugin        plugin id serving the lane, when one does
 * @param pluginVersion its version
 * @param records       which records it receives: {@code all}, {@code success} or {@code failure}
 * @param position      the next journal offset the lane reads
 * @param committed     the first journal offset not yet delivered
 * @param lag           what it has not delivered yet
 * @param counters      outcomes since the lane started
 * @param lastError     the last failure, when there was one
 * @param settings      its lane settings
 */
public record LaneStatus(String name, LaneKind kind, String state, Optional<String> plugin,
                         Optional<String> pluginVersion, String records, long position, long committed,
                         JournalReader.Lag lag, LaneCounters counters, Optional<LaneError> lastError,
                         LaneSettings settings) {

    /** @return seconds since the oldest undelivered record was appended, 0 when none */
    public double lagSeconds() {
        return lag.oldestTimestamp().map(t -> Math.max(0, (System.currentTimeMillis() - t.toEpochMilli()) / 1000.0))
                .orElse(0.0);
    }

    /**
     * A lane's last failure.
     *
     * @param time    when
     * @param message what went wrong and what happens next (no secrets)
     */
    public record LaneError(Instant time, String message) {
    }
}
