package dev.llmhub.core.router;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A deployment's requests and tokens over the last minute (a sliding window, exact to the
 * millisecond), for its {@code rpm}/{@code tpm} limits. Synchronized: held only for a few list
 * operations.
 */
final class RateWindow {
    private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

    private record Tokens(long at, long count) {
    }

    private final OptionalInt rpm;
    private final OptionalLong tpm;
    private final ArrayDeque<Long> requests = new ArrayDeque<>();
    private final ArrayDeque<Tokens> tokens = new ArrayDeque<>();
    private long tokenSum;

    RateWindow(OptionalInt rpm, OptionalLong tpm) {
        this.rpm = rpm;
        this.tpm = tpm;
    }

    /**
     * Takes one request slot when both limits allow it.
     *
     * @param now {@link System#nanoTime()}
     * @return empty when taken, else how long until a slot frees
     */
    synchronized java.util.Optional<Duration> tryAcquire(long now) {
        expire(now);
        long waitNanos = 0;
        if (rpm.isPresent() && requests.size() >= rpm.getAsInt()) {
            waitNanos = requests.peekFirst() + WINDOW_NANOS - now;
        }
        if (tpm.isPresent() && tokenSum >= tpm.getAsLong() && !tokens.isEmpty()) {
            waitNanos = Math.max(waitNanos, tokens.peekFirst().at + WINDOW_NANOS - now);
        }
        if (waitNanos > 0) {
            return java.util.Optional.of(Duration.ofNanos(waitNanos));
        }
        if (rpm.isPresent()) {
            requests.addLast(now);
        }
        return java.util.Optional.empty();
    }

    /**
     * Counts a request another authority (Redis) already allowed, so that this replica's own count is
     * current when it has to fall back on it.
     */
    synchronized void record(long now) {
        if (rpm.isPresent()) {
            expire(now);
            requests.addLast(now);
        }
    }

    /** Counts the tokens a finished call used. */
    synchronized void addTokens(long now, long count) {
        if (tpm.isEmpty() || count <= 0) {
            return;
        }
        expire(now);
        tokens.addLast(new Tokens(now, count));
        tokenSum += count;
    }

    private void expire(long now) {
        while (!requests.isEmpty() && now - requests.peekFirst() >= WINDOW_NANOS) {
            requests.removeFirst();
        }
        while (!tokens.isEmpty() && now - tokens.peekFirst().at >= WINDOW_NANOS) {
            tokenSum -= tokens.removeFirst().count;
        }
    }
}
