package dev.llmhub.api;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Destination} says about one exported batch. The core acts on it: a success is
 * counted, a retryable result is retried with backoff (waiting at least {@link Retryable#after()}),
 * a permanent result is counted as failed and never retried, a partial result narrows the retry to
 * the records that failed.
 */
public sealed interface ExportResult {

    /** Every record of the batch was delivered (or already present: delivery is idempotent). */
    record Success() implements ExportResult {
    }

    /**
     * Nothing (or, inside {@link Partial}, this record) was delivered, and trying again later may work.
     *
     * @param after  the least time to wait before retrying ({@link Duration#ZERO}: use the backoff)
     * @param reason why, for logs and metrics; never contains a secret
     */
    record Retryable(Duration after, String reason) implements ExportResult {
        public Retryable {
            Objects.requireNonNull(after, "after is null");
            Objects.requireNonNull(reason, "reason is null");
        }
    }

    /**
     * Nothing (or, inside {@link Partial}, this record) was delivered, and retrying cannot help
     * (bad credentials, a document the destination rejects).
     *
     * @param reason why, for logs and metrics; never contains a secret
     */
    record Permanent(String reason) implements ExportResult {
        public Permanent {
            Objects.requireNonNull(reason, "reason is null");
        }
    }

    /**
     * Some records failed. Records whose id is not a key of {@code failures} were delivered.
     *
     * @param failures record id to its {@link Retryable} or {@link Permanent} result
     */
    record Partial(Map<String, ExportResult> failures) implements ExportResult {
        public Partial {
            failures = Map.copyOf(Objects.requireNonNull(failures, "failures is null"));
            for (ExportResult r : failures.values()) {
                if (!(r instanceof Retryable) && !(r instanceof Permanent)) {
                    throw new IllegalArgumentException("a partial failure must be Retryable or Permanent, got " + r);
                }
            }
        }
    }

    /** @return the success result */
    static ExportResult success() {
        return new Success();
    }

    /** @param reason why @return a retryable result that leaves the wait to the core's backoff */
    static ExportResult retryable(String reason) {
        return new Retryable(Duration.ZERO, reason);
    }

    /** @param after least wait @param reason why @return a retryable result */
    static ExportResult retryAfter(Duration after, String reason) {
        return new Retryable(after, reason);
    }

    /** @param reason why @return a permanent failure */
    static ExportResult permanent(String reason) {
        return new Permanent(reason);
    }

    /** @param failures record id to failure @return a partial result, or success when none failed */
    static ExportResult partial(Map<String, ExportResult> failures) {
        return Objects.requireNonNull(failures, "failures is null").isEmpty() ? new Success() : new Partial(failures);
    }

    /**
     * Maps an HTTP answer to a result, in one place for every HTTP destination: 2xx success;
     * 408, 429, 500, 502, 503, 504 retryable (honouring {@code Retry-After}); everything else permanent.
     *
     * @param status     HTTP status code
     * @param retryAfter the {@code Retry-After} header value (seconds or HTTP date), if any
     * @param reason     what to report when it is a failure; never contains a secret
     * @return the result
     */
    static ExportResult fromHttpStatus(int status, Optional<String> retryAfter, String reason) {
        Objects.requireNonNull(retryAfter, "retryAfter is null");
        Objects.requireNonNull(reason, "reason is null");
        if (status >= 200 && status < 300) {
            return success();
        }
        if (isRetryableHttpStatus(status)) {
            return new Retryable(retryAfter.flatMap(ExportResult::parseRetryAfter).orElse(Duration.ZERO),
                    "HTTP " + status + ": " + reason);
        }
        return permanent("HTTP " + status + ": " + reason);
    }

    /**
     * @param status HTTP status code
     * @return whether a request that got this status may succeed when sent again
     */
    static boolean isRetryableHttpStatus(int status) {
        return switch (status) {
            case 408, 429, 500, 502, 503, 504 -> true;
            default -> false;
        };
    }

    /**
     * Parses a {@code Retry-After} value: delay seconds or an HTTP date.
     *
     * @param value the header value
     * @return the wait, or empty when the value is neither form
     */
    static Optional<Duration> parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(Instant.now(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
