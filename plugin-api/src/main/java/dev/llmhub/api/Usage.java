package dev.llmhub.api;

import java.util.Locale;
import java.util.Objects;

/**
 * Token usage of a call.
 *
 * @param promptTokens        input tokens, cached and cache-writing ones included
 * @param completionTokens    output tokens
 * @param totalTokens         prompt + completion
 * @param cachedTokens        prompt tokens read from the provider's cache (0 when unknown)
 * @param reasoningTokens     output tokens spent on reasoning (0 when unknown)
 * @param cacheCreationTokens prompt tokens written to the provider's cache, e.g. Anthropic's
 *                            {@code cache_creation_input_tokens} (0 when unknown or none)
 * @param source              whether the provider reported these numbers or the proxy counted them
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens, long cachedTokens,
                    long reasoningTokens, long cacheCreationTokens, Source source) {

    /** Where the numbers come from. */
    public enum Source {
        /** Reported by the upstream provider. */
        PROVIDER,
        /** Counted by the proxy with a tokenizer because the provider sent none. */
        ESTIMATED;

        /** The lower-case constant name: computed once, since records are written with it. */
        private final String wireName = name().toLowerCase(Locale.ROOT);

        /** The name used in the call record's JSON form. */
        public String wireName() {
            return wireName;
        }
    }

    public Usage {
        Objects.requireNonNull(source, "source is null");
    }

    /** Usage without cache writes (every provider but Anthropic). */
    public Usage(long promptTokens, long completionTokens, long totalTokens, long cachedTokens, long reasoningTokens,
                 Source source) {
        this(promptTokens, completionTokens, totalTokens, cachedTokens, reasoningTokens, 0, source);
    }

    /** No tokens, e.g. for a call that failed before reaching a provider. */
    public static Usage none() {
        return new Usage(0, 0, 0, 0, 0, Source.ESTIMATED);
    }
}
