package dev.llmhub.core.journal;

/**
 * The journal could not be opened: its directory is in use by another proxy, or cannot be created,
 * read or written. The message names the directory and says what to do; no stack trace needed.
 */
public final class JournalOpenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and where @param cause the I/O error, or null */
    public JournalOpenException(String message, Throwable cause) {
        super(message, cause);
    }
}
