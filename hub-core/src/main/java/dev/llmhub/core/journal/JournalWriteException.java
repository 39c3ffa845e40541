package dev.llmhub.core.journal;

/** An append that could not be written (I/O error, disk full); the entry is not in the journal. */
public final class JournalWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message why, no secrets @param cause the I/O error */
    public JournalWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
