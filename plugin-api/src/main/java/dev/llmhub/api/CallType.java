package dev.llmhub.api;

/**
 * The kind of API a client called. Later versions may add kinds as the proxy learns new APIs: a
 * {@code switch} over this type in a plugin needs a {@code default} branch.
 */
public enum CallType {
    /** {@code /chat/completions}. */
    CHAT("chat"),
    /** {@code /completions} (legacy text completion). */
    COMPLETION("completion"),
    /** {@code /embeddings}. */
    EMBEDDING("embedding");

    private final String wireName;

    CallType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the call record's JSON form, e.g. {@code chat}. */
    public String wireName() {
        return wireName;
    }
}
