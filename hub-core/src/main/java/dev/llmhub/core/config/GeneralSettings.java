package dev.llmhub.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code general_settings} the server reads.
 *
 * @param masterKey           the key clients must present; empty means the proxy is open
 * @param maxRequestBodyBytes request bodies above this answer 413 ({@code max_request_size_mb}, default 10)
 * @param journal             where records wait for their destinations
 * @param rejectedRequests    whether and how many refused requests become records
 */
public record GeneralSettings(Optional<String> masterKey, long maxRequestBodyBytes, JournalSettings journal,
                              RejectedRequestSettings rejectedRequests) {
    /** 10 MB, LiteLLM's usual limit. */
    public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

    public GeneralSettings {
        Objects.requireNonNull(masterKey, "masterKey is null");
        Objects.requireNonNull(journal, "journal is null");
        Objects.requireNonNull(rejectedRequests, "rejectedRequests is null");
        if (maxRequestBodyBytes <= 0) {
            throw new IllegalArgumentException("maxRequestBodyBytes must be positive");
        }
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "GeneralSettings[masterKey=" + (masterKey.isPresent() ? "set" : "none")
                + ", maxRequestBodyBytes=" + maxRequestBodyBytes + ", journal=" + journal + ", rejectedRequests=" + rejectedRequests + "]";
    }
}
