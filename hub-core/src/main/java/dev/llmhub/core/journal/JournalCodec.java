package dev.llmhub.core.journal;

/**
 * How a journal turns values into bytes and back. Must be thread-safe and must not keep references
 * to the arrays it is given.
 *
 * @param <T> the value type
 */
public interface JournalCodec<T> {

    /** @param value a value @return its encoding */
    byte[] encode(T value);

    /**
     * @param bytes an encoding made by {@link #encode}
     * @return the value
     * @throws IllegalArgumentException when the bytes are not a valid encoding (counted as corrupt)
     */
    T decode(byte[] bytes);

    /** @param value a value @return a cheap estimate of its encoded size, for memory bounds */
    long estimateSize(T value);
}
