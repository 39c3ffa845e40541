package dev.llmhub.core.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one ObjectMapper of the request path (thread-safe once configured). */
public final class Json {
    /** Big decimals are kept so prices and parameters survive a round trip unchanged. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(factory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
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
