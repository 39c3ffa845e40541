package dev.llmhub.core.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration of the core and the server (thread-safe once configured): request and
 * answer bodies, the admin API, the call record's JSON form ({@code CallRecordJson}) and the price
 * table all go through {@link #MAPPER}. Plugins that use Jackson bundle their own.
 */
public final class Json {
    /**
     * Big decimals are kept so prices and parameters reach the upstream unchanged; JSON-like values
     * with no properties (an empty map's class) write as {@code {}}.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(factory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    /**
     * @return a JSON factory whose parsers and generators take their buffers from one bounded pool
     *         shared by every thread: each request runs on a new virtual thread, so Jackson's default
     *         per-thread pool would allocate fresh buffers (some 16 KiB) for every body read or written
     */
    public static JsonFactory factory() {
        return JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build();
    }
}
