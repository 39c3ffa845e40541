package dev.llmhub.plugin.langfuse;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;

/** The plugin's one JSON mapper, for JSON-like trees (maps, lists, scalars) and Jackson nodes. */
final class Json {
    /**
     * Jackson's default buffer pool lives in thread-locals of the calling threads, which are the core's
     * lane threads: they would keep (softly) a reference into this plugin's class loader after an
     * unload. A pool owned by the mapper goes away with the plugin.
     */
    static final ObjectMapper MAPPER = new ObjectMapper(new JsonFactoryBuilder()
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
            .build())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    static String write(Object tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static byte[] bytes(Object tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
