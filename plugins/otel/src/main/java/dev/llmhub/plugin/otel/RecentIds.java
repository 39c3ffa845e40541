package dev.llmhub.plugin.otel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last few thousand record ids something was done for (metrics recorded, events sent), so a batch
 * the core retries does not do it twice. Bounded: an id older than the window (far beyond any retry
 * horizon) is forgotten.
 */
final class RecentIds {
    /** Far more than the records a lane holds in flight, so a retried batch is always recognised. */
    static final int RETRY_WINDOW = 50_000;

    private final Map<String, Boolean> ids;

    RecentIds(int capacity) {
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** @return true when the id was not seen yet (and remembers it) */
    synchronized boolean firstTime(String id) {
        return ids.putIfAbsent(id, Boolean.TRUE) == null;
    }

    /** @return whether the id was seen */
    synchronized boolean contains(String id) {
        return ids.containsKey(id);
    }
}
