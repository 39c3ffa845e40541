package dev.llmhub.server;

import dev.llmhub.plugin.kit.BoundedMemo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a key, hex: how a caller's key appears in records (never the key itself). */
final class KeyHasher {
    /**
     * Most traffic presents a few keys: their hashes are remembered (a digest per request showed in the
     * profile). Bounded so a flood of random keys cannot grow it: past the bound it starts over.
     */
    private static final BoundedMemo<String, String> HASHES = new BoundedMemo<>(256, KeyHasher::digest);

    private KeyHasher() {
    }

    static String sha256(String key) {
        return HASHES.get(key);
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
