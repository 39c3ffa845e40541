package dev.llmhub.plugin.kit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Jackson mapper a plugin should make (one per plugin, thread-safe once configured).
 *
 * <p>Jackson's default buffer recycler pool lives in thread-locals of the calling threads. In a plugin
 * those are the proxy's lane threads, which outlive the plugin: they would keep (softly) a reference
 * into the plugin's class loader after a hot swap, so the old version's classes could not be
 * collected. A pool owned by the mapper goes away with the plugin.
 */
public final class PluginJson {
    private PluginJson() {
    }

    /** @return a new mapper whose buffers are released with it, not kept by the proxy's threads */
    public static ObjectMapper newMapper() {
        return new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                .build());
    }
}
