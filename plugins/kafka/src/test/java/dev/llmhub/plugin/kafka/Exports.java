package dev.llmhub.plugin.kafka;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Exporting as the core's lane would, for tests whose point is not the first export's timing. */
final class Exports {
    private Exports() {
    }

    /**
     * Exports again while the result is retryable as a whole (nothing was sent): a cold producer with a
     * short max.block.ms may not get its first metadata in time on a busy machine, and the lane would
     * simply try again.
     */
    static ExportResult asTheLaneWould(Destination d, List<CallRecord> batch) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        ExportResult r = d.export(batch);
        while (r instanceof ExportResult.Retryable && Instant.now().isBefore(deadline)) {
            r = d.export(batch);
        }
        return r;
    }
}
