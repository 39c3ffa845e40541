package dev.llmhub.core.journal;

import java.time.Duration;

/** What every {@link JournalReader#poll} checks first, the same for each kind of journal. */
final class PollDeadline {
    private PollDeadline() {
    }

    /**
     * @param maxEntries poll's limit, which must be at least 1
     * @param wait       how long poll may wait
     * @return the {@link System#nanoTime()} at which waiting ends
     */
    static long of(int maxEntries, Duration wait) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        return System.nanoTime() + wait.toNanos();
    }

    /** @param cursor the reader's cursor @return what using a closed reader throws */
    static IllegalStateException closedReader(String cursor) {
        return new IllegalStateException("the reader of cursor '" + cursor + "' is closed");
    }
}
