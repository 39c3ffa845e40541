package dev.llmhub.core.journal;

import java.util.LinkedHashSet;
import java.util.Set;

/** A reader's drops and corrupt skips since they were last taken. */
final class ReaderCounters {
    private long dropped;
    private final Set<String> reasons = new LinkedHashSet<>();
    private long corrupt;

    synchronized void dropped(long count, String reason) {
        if (count > 0) {
            dropped += count;
            reasons.add(reason);
        }
    }

    synchronized JournalReader.Dropped takeDropped() {
        if (dropped == 0) {
            return JournalReader.Dropped.NONE;
        }
        JournalReader.Dropped d = new JournalReader.Dropped(dropped, String.join("; ", reasons));
        dropped = 0;
        reasons.clear();
        return d;
    }

    synchronized void corrupt(long count) {
        corrupt += count;
    }

    synchronized long takeCorrupt() {
        long c = corrupt;
        corrupt = 0;
        return c;
    }
}
