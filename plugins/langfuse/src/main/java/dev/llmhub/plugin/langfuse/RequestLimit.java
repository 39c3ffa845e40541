package dev.llmhub.plugin.langfuse;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The most bytes one request body may have before compression: {@code max_request_bytes}, lowered when
 * Langfuse (or a proxy in front of it) refuses a body as too large (HTTP 413), so later batches are
 * split before they are sent instead of being refused first.
 */
final class RequestLimit {
    private final AtomicInteger max;
    private final System.Logger logger;
    private final URI host;

    RequestLimit(int max, System.Logger logger, URI host) {
        this.max = new AtomicInteger(max);
        this.logger = logger;
        this.host = host;
    }

    /** @return the most bytes a request body may have now */
    int max() {
        return max.get();
    }

    /**
     * Learns from a refused body: requests are kept under half its size from now on.
     *
     * @param bodyBytes the refused body's size before compression
     */
    void refused(int bodyBytes) {
        int lower = Math.max(LangfuseSettings.MIN_MAX_REQUEST_BYTES, bodyBytes / 2);
        int before = max.getAndUpdate(m -> Math.min(m, lower));
        if (lower < before) {
            logger.log(Level.WARNING, "Langfuse at " + host + " refused a request of " + bodyBytes + " bytes as too "
                    + "large (HTTP 413): llmhub splits it and keeps requests under " + lower + " bytes from now on; set "
                    + "callback_settings.langfuse.max_request_bytes: " + lower + " to start there");
        }
    }
}
