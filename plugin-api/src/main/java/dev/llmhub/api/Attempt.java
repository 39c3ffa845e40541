package dev.llmhub.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One upstream try within a call. A call retried or fallen back to another deployment is still one
 * {@link CallRecord}, with one attempt per try, in order.
 *
 * @param deployment deployment id tried
 * @param provider   provider of that deployment, e.g. {@code openai}, {@code azure}, {@code mock}
 * @param url        the URL the try was sent to, without user info, query string or fragment; absent
 *                   when no request went over the network (llmhub's built-in mock, {@code mock_response})
 * @param startTime  when the upstream request started
 * @param endTime    when it ended (response complete, or failure seen); for a stream, when the upstream
 *                   accepted it: the stream itself runs on until the call's end
 * @param status     outcome of this try
 * @param error      why it failed, when it did
 */
public record Attempt(String deployment, String provider, Optional<String> url, Instant startTime,
                      Instant endTime, CallStatus status, Optional<CallError> error) {
    public Attempt {
        Objects.requireNonNull(deployment, "deployment is null");
        Objects.requireNonNull(provider, "provider is null");
        Objects.requireNonNull(url, "url is null");
        Objects.requireNonNull(startTime, "startTime is null");
        Objects.requireNonNull(endTime, "endTime is null");
        Objects.requireNonNull(status, "status is null");
        Objects.requireNonNull(error, "error is null");
    }

    /** The 0.1 constructor, without the URL: kept so plugins built against 0.1 still link. */
    public Attempt(String deployment, String provider, Instant startTime, Instant endTime, CallStatus status,
                   Optional<CallError> error) {
        this(deployment, provider, Optional.empty(), startTime, endTime, status, error);
    }

    /** Duration of this try in milliseconds. */
    public long latencyMs() {
        return Duration.between(startTime, endTime).toMillis();
    }
}
