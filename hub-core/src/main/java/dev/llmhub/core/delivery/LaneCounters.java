package dev.llmhub.core.delivery;

/**
 * A lane's record counts since it started.
 *
 * @param exported delivered (or handled by a callback handler)
 * @param retried  re-sent after a retryable failure (a record retried twice counts twice)
 * @param failed   given up: permanent failure, retries exhausted, or a handler hook that failed
 * @param dropped  never delivered: lost to the journal's bounds, a full handler event queue, or (with
 *                 {@code durability: memory}) still waiting when the proxy stopped
 */
public record LaneCounters(long exported, long retried, long failed, long dropped) {
}
