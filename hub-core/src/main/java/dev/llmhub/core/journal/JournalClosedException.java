package dev.llmhub.core.journal;

/** An append after the journal was closed (the proxy is stopping). */
public final class JournalClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message what was attempted */
    public JournalClosedException(String message) {
        super(message);
    }
}
