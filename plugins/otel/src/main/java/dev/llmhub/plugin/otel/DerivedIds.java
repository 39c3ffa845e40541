package dev.llmhub.plugin.otel;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Span and trace ids derived from a call record's id. The same record always yields the same ids, so
 * an export the core retries re-sends the same spans instead of creating new ones next to them.
 */
final class DerivedIds {
    private DerivedIds() {
    }

    /** @return a valid 16-hex span id for the record's span named {@code role} */
    static String spanId(String recordId, String role) {
        String hex = HexFormat.of().formatHex(sha256(recordId + "\n" + role), 0, 8);
        return SpanId.isValid(hex) ? hex : "0000000000000001";
    }

    /** @return a valid 32-hex trace id, used only when a record's own trace id is unusable */
    static String traceId(String recordId) {
        String hex = HexFormat.of().formatHex(sha256(recordId + "\ntrace"), 0, 16);
        return TraceId.isValid(hex) ? hex : "00000000000000000000000000000001";
    }

    /** Cloned per use: a clone skips the provider look-up of {@code getInstance}, a few per record. */
    private static final MessageDigest SHA_256 = sha256Digest();

    private static byte[] sha256(String text) {
        try {
            return ((MessageDigest) SHA_256.clone()).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            return sha256Digest().digest(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
