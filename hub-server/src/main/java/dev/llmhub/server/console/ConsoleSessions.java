package dev.llmhub.server.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's login sessions, in memory (a restart logs everyone out). A session is a random
 * 256-bit token in an HttpOnly cookie; only its SHA-256 is kept, with a per-session CSRF token and the
 * fingerprint of the master key it was opened with — so changing the master key (a config reload)
 * ends every session. Sessions end after {@link #IDLE} without use or {@link #MAX_AGE} in all; at most
 * {@link #MAX_SESSIONS} are kept (the least recently used goes first).
 */
final class ConsoleSessions {
    static final Duration IDLE = Duration.ofHours(12);
    static final Duration MAX_AGE = Duration.ofDays(7);
    static final int MAX_SESSIONS = 256;

    /**
     * @param csrfToken      sent back in {@code X-LLMHub-CSRF} on every state-changing request
     * @param keyFingerprint the master key's fingerprint at login
     * @param createdMillis  when it was opened
     * @param lastUsedMillis when it was last used
     */
    record Session(String csrfToken, String keyFingerprint, long createdMillis, long lastUsedMillis) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byTokenHash = new ConcurrentHashMap<>();
    private final Clock clock;

    ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    /**
     * Opens a session.
     *
     * @param keyFingerprint the current master key's fingerprint
     * @return the cookie token (given to the browser once, never stored) and the session
     */
    Opened open(String keyFingerprint) {
        String token = randomToken();
        long now = clock.millis();
        Session s = new Session(randomToken(), keyFingerprint, now, now);
        evictIfFull();
        byTokenHash.put(fingerprint(token), s);
        return new Opened(token, s);
    }

    /** @param token the cookie token @param session what it opens */
    record Opened(String token, Session session) {
    }

    /**
     * @param token          a cookie's token
     * @param keyFingerprint the current master key's fingerprint
     * @return the live session it opens; an expired one, or one opened with another key, is closed
     */
    Optional<Session> find(String token, String keyFingerprint) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        String id = fingerprint(token);
        Session s = byTokenHash.get(id);
        if (s == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        if (!MessageDigest.isEqual(bytes(s.keyFingerprint()), bytes(keyFingerprint))
                || now - s.lastUsedMillis() > IDLE.toMillis() || now - s.createdMillis() > MAX_AGE.toMillis()) {
            byTokenHash.remove(id);
            return Optional.empty();
        }
        Session used = new Session(s.csrfToken(), s.keyFingerprint(), s.createdMillis(), now);
        byTokenHash.replace(id, s, used);
        return Optional.of(used);
    }

    /** @param token a cookie's token: its session ends */
    void close(String token) {
        if (token != null) {
            byTokenHash.remove(fingerprint(token));
        }
    }

    private void evictIfFull() {
        while (byTokenHash.size() >= MAX_SESSIONS) {
            byTokenHash.entrySet().stream().min(java.util.Comparator.comparingLong(e -> e.getValue().lastUsedMillis()))
                    .ifPresent(e -> byTokenHash.remove(e.getKey(), e.getValue()));
        }
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** @param secret a token or the master key @return its SHA-256, hex */
    static String fingerprint(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
