package dev.llmhub.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The caller's key, as far as a record may show it: never the key itself.
 *
 * @param hash  SHA-256 of the key, hex; stable, so usage can be grouped per key
 * @param alias a human name for the key from the config, when one is set
 */
public record ApiKeyInfo(String hash, Optional<String> alias) {
    public ApiKeyInfo {
        Objects.requireNonNull(hash, "hash is null");
        Objects.requireNonNull(alias, "alias is null");
    }
}
