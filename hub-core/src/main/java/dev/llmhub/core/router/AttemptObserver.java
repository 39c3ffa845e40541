package dev.llmhub.core.router;

import dev.llmhub.core.provider.UpstreamException;
import java.time.Instant;

/** Sees every upstream try the router makes, so the caller can publish events and list attempts. */
public interface AttemptObserver {
    /** @param deployment about to be tried */
    void before(Deployment deployment);

    /**
     * @param deployment tried
     * @param start      when the try started
     * @param end        when it ended
     * @param upstreamNanos time spent waiting on the upstream
     * @param error      why it failed, or null on success
     */
    void after(Deployment deployment, Instant start, Instant end, long upstreamNanos, UpstreamException error);
}
