package dev.llmhub.plugin.otel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last few thousand record ids whose metrics were recorded, so a batch the core retries is not
 * counted twice. Bounded: an id older than the window (far beyond any retry horizon) is forgotten.
 */
final class RecentIds {
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
}
