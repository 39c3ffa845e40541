package dev.llmhub.core.delivery;

/**
 * A lane's record counts so far.
 *
 * @param exported delivered (or handled by a callback handler)
 * @param retried  re-sent after a retryable failure (a record retried twice counts twice)
 * @param failed   given up: permanent failure, retries exhausted, or a handler hook that failed
 * @param dropped  thrown away unsent: queue overflow, or still queued when shutdown's deadline passed
 */
public record LaneCounters(long exported, long retried, long failed, long dropped) {
}
