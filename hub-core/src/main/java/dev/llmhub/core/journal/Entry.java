package dev.llmhub.core.journal;

import java.util.Objects;

/**
 * One journal entry.
 *
 * @param offset        its position: increasing by one per entry (an append that failed leaves its
 *                      offset unused), never reused once a reader could have seen it
 * @param timestampMillis when it was appended (epoch milliseconds)
 * @param encodedSize   its size on disk (framing excluded), for byte limits and lag
 * @param value         the decoded value
 */
public record Entry<T>(long offset, long timestampMillis, int encodedSize, T value) {
    public Entry {
        Objects.requireNonNull(value, "value is null");
    }

    /** Shows the offset only: values may carry message content. */
    @Override
    public String toString() {
        return "Entry[offset=" + offset + "]";
    }
}
