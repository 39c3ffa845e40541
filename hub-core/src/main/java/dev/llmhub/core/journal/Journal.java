package dev.llmhub.core.journal;

import java.time.Instant;
import java.util.List;

/**
 * An append-only log of values (call records) read by named cursors, one per destination: the shape
 * of a Kafka topic with one consumer group per reader, or Vector's disk buffer.
 *
 * <p>One journal per proxy. Any number of threads append; the journal batches concurrent appends into
 * one write (group commit). Each reader reads from its own position and acknowledges what it has
 * delivered; its committed position survives a restart. Storage is bounded (by bytes and by age):
 * when a bound forces the oldest entries out while a cursor still needs them, those entries are
 * counted as dropped for that cursor ({@link JournalReader#takeDropped()}) — never silently.
 *
 * <p>Implementations: {@code LocalJournal} (segment files in the data directory; durability
 * {@code process} or {@code fsync}) and {@code MemoryJournal} (durability {@code memory}: bounded,
 * lost on exit).
 *
 * @param <T> what is stored (a call record); encoded with the journal's {@link JournalCodec}
 */
public interface Journal<T> extends AutoCloseable {

    /**
     * Appends one value. Never waits for a reader and never blocks on another append for longer than
     * one group-commit write.
     *
     * @param value what to store
     * @return a handle that completes once the value is as durable as the journal promises
     *         ({@code process}: written to the OS; {@code fsync}: on disk; {@code memory}: at once)
     * @throws JournalClosedException after {@link #close()}
     */
    Append append(T value);

    /**
     * Opens the named cursor. An existing cursor resumes at its committed position; a new one starts
     * where {@code startFrom} says. At most one reader per name is open at a time.
     *
     * @param name      the cursor's name (a destination name; any characters)
     * @param startFrom where a new cursor starts
     * @return its reader
     * @throws IllegalStateException when a reader with this name is already open
     */
    JournalReader<T> open(String name, StartFrom startFrom);

    /** @return every cursor the journal keeps, open or not */
    List<CursorInfo> cursors();

    /**
     * Forgets a closed cursor: it no longer holds entries back from retention.
     *
     * @param name the cursor
     */
    void deleteCursor(String name);

    /**
     * Reads entries without a cursor (the console's search and a call's detail page).
     *
     * @param fromOffset first offset wanted; an offset older than what is retained starts at the oldest
     * @param maxEntries most entries returned
     * @param maxBytes   most encoded bytes returned (at least one entry is returned when any exists)
     * @return entries in offset order, corrupt ones skipped
     */
    List<Entry<T>> read(long fromOffset, int maxEntries, long maxBytes);

    /**
     * Scans {@code [fromOffset, toOffset)} for the console's search, handing each entry that may match to
     * {@code sink}, in offset order. {@code mayMatch} sees an entry's stored bytes (the codec's encoding)
     * before it is decoded: an entry it refuses is skipped without decoding, which makes a search over
     * a large journal a byte scan. It must be conservative — refuse only entries that certainly do not
     * match — because entries the journal holds already decoded (its tail cache, a memory journal) are
     * handed over without it; the caller still checks every entry it receives.
     *
     * <p>The default reads and decodes everything (right for a journal that keeps decoded values).
     *
     * @param fromOffset first offset; an offset older than what is retained starts at the oldest
     * @param toOffset   the offset to stop before
     * @param mayMatch   a pre-filter on stored bytes; false only when the entry cannot match
     * @param sink       receives the entries that passed, corrupt ones skipped
     */
    default void scan(long fromOffset, long toOffset, java.util.function.Predicate<byte[]> mayMatch,
                      java.util.function.Consumer<Entry<T>> sink) {
        long next = fromOffset;
        while (next < toOffset) {
            List<Entry<T>> got = read(next, (int) Math.min(256, toOffset - next), 4L << 20);
            if (got.isEmpty()) {
                return;
            }
            for (Entry<T> e : got) {
                if (e.offset() >= toOffset) {
                    return;
                }
                sink.accept(e);
                next = e.offset() + 1;
            }
        }
    }

    /**
     * @param time a point in time
     * @return the offset of the first retained entry appended at or after {@code time}, or the head
     *         offset when there is none
     */
    long offsetAt(Instant time);

    /** @return sizes, offsets and counters, for metrics and the admin API */
    JournalStats stats();

    /**
     * Completes pending appends, persists every open cursor's committed position, releases files.
     * Later appends throw {@link JournalClosedException}.
     */
    @Override
    void close();
}
