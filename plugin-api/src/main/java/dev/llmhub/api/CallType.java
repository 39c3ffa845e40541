package dev.llmhub.api;

/**
 * The kind of API a client called. Constants are added when the proxy serves a new API: a plugin
 * that switches over this type should keep a {@code default} branch (records of every type carry
 * messages and response in the chat shape, so treating an unknown type like {@link #CHAT} is safe).
 */
public enum CallType {
    /** {@code /chat/completions}. */
    CHAT("chat"),
    /** {@code /completions} (legacy text completion). */
    COMPLETION("completion"),
    /** {@code /embeddings}. */
    EMBEDDING("embedding"),
    /** {@code /v1/messages}: Anthropic's Messages API (messages and response recorded in the chat shape). */
    MESSAGES("messages"),
    /** {@code /v1/responses}: OpenAI's Responses API (input and output recorded in the chat shape). */
    RESPONSES("responses"),
    /**
     * A request on a route that is no LLM call (an unknown path, {@code /v1/models}): only records of
     * requests the proxy refused have it (a wrong key, an unknown route). Their messages are empty.
     */
    OTHER("other");

    private final String wireName;

    CallType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the call record's JSON form, e.g. {@code chat}. */
    public String wireName() {
        return wireName;
    }
}
