package dev.llmhub.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/** SHA-256 of a key, hex: how a caller's key appears in records (never the key itself). */
final class KeyHasher {
    /**
     * Most traffic presents a few keys: their hashes are remembered (a digest per request showed in the
     * profile). Bounded so a flood of random keys cannot grow it: past the bound it starts over.
     */
    private static final int REMEMBERED = 256;
    private static final ConcurrentHashMap<String, String> HASHES = new ConcurrentHashMap<>();

    private KeyHasher() {
    }

    static String sha256(String key) {
        String known = HASHES.get(key);
        if (known != null) {
            return known;
        }
        String hash = digest(key);
        if (HASHES.size() >= REMEMBERED) {
            HASHES.clear();
        }
        HASHES.put(key, hash);
        return hash;
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
