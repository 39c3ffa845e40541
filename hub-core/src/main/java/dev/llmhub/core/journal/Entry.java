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
 * @param encoded       the value's encoding, kept only for an entry this process has just appended and
 *                      still holds in memory (so a reader at the head need not encode it again); null
 *                      for entries read back from disk or from another process. Not to be modified.
 */
public record Entry<T>(long offset, long timestampMillis, int encodedSize, T value, byte[] encoded) {
    public Entry {
        Objects.requireNonNull(value, "value is null");
    }

    /** An entry without its encoding at hand. */
    public Entry(long offset, long timestampMillis, int encodedSize, T value) {
        this(offset, timestampMillis, encodedSize, value, null);
    }

    /** Equal by position and value: {@code encoded} is only a copy of the value kept at hand. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Entry<?> e && offset == e.offset && timestampMillis == e.timestampMillis
                && encodedSize == e.encodedSize && value.equals(e.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, timestampMillis, encodedSize, value);
    }

    /** Shows the offset only: values may carry message content. */
    @Override
    public String toString() {
        return "Entry[offset=" + offset + "]";
    }
}
