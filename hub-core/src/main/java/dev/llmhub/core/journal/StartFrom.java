package dev.llmhub.core.journal;

/** Where a new cursor starts (an existing cursor always resumes where it stopped). */
public enum StartFrom {
    /** After the last entry appended so far: only new entries. */
    HEAD,
    /** At the oldest entry still retained: a backfill of everything the journal holds. */
    EARLIEST
}
