package dev.llmhub.plugin.langfuse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids derived from a record's id. Langfuse deduplicates by id (span id for OTLP, event id and body id
 * for the ingestion API), so deriving every id from the record's stable id turns a retried export into
 * an update of the same observation, never a second one.
 */
final class LangfuseIds {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final String NAMESPACE = "llmhub-langfuse:";

    private LangfuseIds() {
    }

    /** @param recordId the record's id @return the 16-hex observation (span) id of its generation */
    static String observationId(String recordId) {
        return digestHex("observation:" + recordId, 16);
    }

    /**
     * @param recordId  the record's id
     * @param eventType ingestion event type, e.g. {@code trace-create}
     * @return a UUID-shaped event id, the same for every export of this record
     */
    static String eventId(String recordId, String eventType) {
        return UUID.nameUUIDFromBytes((NAMESPACE + eventType + ":" + recordId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * An OTLP trace id (32 hex) for a Langfuse trace id: hex ids and UUIDs keep their value (so a
     * caller's {@code trace_id} is found in Langfuse as it was sent), any other text is hashed.
     *
     * @param id a trace id as a caller or the record gave it
     * @return 32 lower-case hex characters, never all zeros
     */
    static String otelTraceId(String id) {
        return hexOrDigest(id, 32);
    }

    /** @param id an observation id @return 16 lower-case hex characters, never all zeros */
    static String otelSpanId(String id) {
        return hexOrDigest(id, 16);
    }

    /** @param hex an id as {@link #otelTraceId} or {@link #otelSpanId} return it @return its bytes */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static String hexOrDigest(String id, int hexChars) {
        String compact = id.replace("-", "");
        if (compact.length() == hexChars && HEX.matcher(compact).matches() && !compact.matches("0+")) {
            return compact.toLowerCase(Locale.ROOT);
        }
        return digestHex("id:" + id, hexChars);
    }

    private static String digestHex(String text, int hexChars) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((NAMESPACE + text).getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(digest, 0, hexChars / 2);
            // An all-zero id is invalid in OTLP; a SHA-256 prefix of zeros is astronomically unlikely.
            return hex.matches("0+") ? "1" + hex.substring(1) : hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
