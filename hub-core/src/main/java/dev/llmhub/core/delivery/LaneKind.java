package dev.llmhub.core.delivery;

import java.util.Locale;

/** What a lane feeds: a destination (batches, retried) or a callback handler (hooks, one at a time). */
public enum LaneKind {
    /** a {@code Destination}: records in batches, retried until delivered or given up */
    DESTINATION,
    /** a {@code CallbackHandler}: the seed's five hooks, one call at a time, in order, not retried */
    HANDLER;

    /** @return {@code destination} or {@code handler} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
