package dev.llmhub.core.delivery;

import java.util.List;

/**
 * What applying a delivery config changed.
 *
 * @param added   lanes started
 * @param removed lanes stopped (their cursors are kept until {@code journal.max_age})
 * @param rebuilt lanes rebuilt with new settings
 */
public record ApplyReport(List<String> added, List<String> removed, List<String> rebuilt) {
    public ApplyReport {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        rebuilt = List.copyOf(rebuilt);
    }

    /** @return whether anything changed */
    public boolean changed() {
        return !added.isEmpty() || !removed.isEmpty() || !rebuilt.isEmpty();
    }
}
