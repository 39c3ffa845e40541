package dev.llmhub.api;

import java.util.Locale;

/**
 * The kind of API a client called. Constants are added when the proxy serves a new API: a plugin
 * that switches over this type should keep a {@code default} branch (records of every type carry
 * messages and response in the chat shape, so treating an unknown type like {@link #CHAT} is safe).
 */
public enum CallType {
    /** {@code /chat/completions}. */
    CHAT,
    /** {@code /completions} (legacy text completion). */
    COMPLETION,
    /** {@code /embeddings}. */
    EMBEDDING,
    /** {@code /v1/messages}: Anthropic's Messages API (messages and response recorded in the chat shape). */
    MESSAGES,
    /** {@code /v1/responses}: OpenAI's Responses API (input and output recorded in the chat shape). */
    RESPONSES,
    /**
     * A request on a route that is no LLM call (an unknown path, {@code /v1/models}): only records of
     * requests the proxy refused have it (a wrong key, an unknown route). Their messages are empty.
     */
    OTHER;

    /** The lower-case constant name: computed once, since records are written with it. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name used in the call record's JSON form, e.g. {@code chat}. */
    public String wireName() {
        return wireName;
    }
}
