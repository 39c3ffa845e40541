package dev.llmhub.api;

/** The kind of API a client called. */
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
