package dev.llmhub.core.journal;

/**
 * What a journal reports as it works, for metrics and logs; every method has a no-op default. Called
 * on the journal's own threads: implementations must be quick and never throw.
 */
public interface JournalObserver {

    /** Ignores everything. */
    JournalObserver NONE = new JournalObserver() {
    };

    /** @param entries entries in one group-commit write @param nanos how long the write took */
    default void written(int entries, long nanos) {
    }

    /** @param nanos how long one fsync took */
    default void synced(long nanos) {
    }

    /** @param entries appends that failed to be written @param reason why (no secrets) */
    default void writeFailed(int entries, String reason) {
    }

    /** @param entries entries cut from a torn tail at startup @param bytes bytes cut @param segment file name */
    default void truncated(long entries, long bytes, String segment) {
    }

    /** @param entries entries skipped as corrupt @param segment file name */
    default void corrupt(long entries, String segment) {
    }

    /** @param cursor a cursor that lost entries to retention @param entries how many @param reason why */
    default void dropped(String cursor, long entries, String reason) {
    }
}
