package dev.llmhub.core.config;

import java.util.Locale;
import java.util.Optional;

/** The upstream API flavours llmhub speaks. */
public enum ProviderKind {
    /** api.openai.com, or any OpenAI-compatible server when {@code api_base} is set. */
    OPENAI,
    /** Azure OpenAI: deployment in the URL, {@code api-version} query, {@code api-key} header. */
    AZURE,
    /** Anthropic's Messages API ({@code api.anthropic.com}, or {@code api_base}): {@code x-api-key} header. */
    ANTHROPIC,
    /** Built-in: answers {@code mock_response} without any network call. */
    MOCK;

    /** The lower-case constant name: computed once, since records are written with it. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** @return the name used in records and logs */
    public String wireName() {
        return wireName;
    }

    /**
     * Maps a LiteLLM model prefix to a provider. {@code hosted_vllm}, {@code custom_openai},
     * {@code openai_like} and {@code lm_studio} are OpenAI-compatible servers.
     *
     * @param prefix the part before the first slash of {@code litellm_params.model}
     * @return the provider, or empty when llmhub does not support it
     */
    static Optional<ProviderKind> fromPrefix(String prefix) {
        return switch (prefix.toLowerCase(Locale.ROOT)) {
            case "openai", "hosted_vllm", "custom_openai", "openai_like", "lm_studio", "text-completion-openai" ->
                    Optional.of(OPENAI);
            case "azure", "azure_text" -> Optional.of(AZURE);
            case "anthropic" -> Optional.of(ANTHROPIC);
            case "mock" -> Optional.of(MOCK);
            default -> Optional.empty();
        };
    }

    /** Prefixes accepted by {@link #fromPrefix}, for error messages. */
    static final String SUPPORTED = "openai/, azure/, anthropic/, mock/, hosted_vllm/, custom_openai/, openai_like/, lm_studio/";
}
