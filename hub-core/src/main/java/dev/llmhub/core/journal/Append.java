package dev.llmhub.core.journal;

import java.time.Duration;

/** A value being appended: its offset, and a wait for it to become durable. */
public interface Append {

    /** @return the entry's offset, assigned when {@link Journal#append} returned */
    long offset();

    /**
     * Waits until the entry is as durable as the journal promises.
     *
     * @param timeout the longest wait
     * @return true when durable; false when the timeout passed first
     * @throws JournalWriteException when the entry could not be written (disk full, I/O error): it is
     *                               not in the journal, and the journal has counted and logged it
     * @throws InterruptedException  when the waiting thread is interrupted
     */
    boolean await(Duration timeout) throws InterruptedException;

    /** @return whether the wait is over (durable or failed) */
    boolean isDone();

    /**
     * @param offset the entry's offset (-1: nothing was appended)
     * @return an append with nothing to wait for: it is as durable as promised as soon as it exists
     */
    static Append done(long offset) {
        return new Done(offset);
    }

    /** See {@link #done}. */
    record Done(long offset) implements Append {
        @Override
        public boolean await(Duration timeout) {
            return true;
        }

        @Override
        public boolean isDone() {
            return true;
        }
    }
}
