package dev.llmhub.plugin.langfuse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids as Langfuse receives them.
 *
 * <p>Ids llmhub makes are derived from the record's stable id: Langfuse deduplicates by id (span id for
 * OTLP, event id and body id for the ingestion API), so a retried export updates the same observation
 * instead of adding a second one.
 *
 * <p>Ids a caller chose go to OTLP the way Langfuse's own SDK and LiteLLM turn an outside id into an
 * OTLP one (docs/destinations/langfuse.md, "Ids"): a hex id of the right length is kept, lower-cased
 * and without dashes (so a UUID keeps its digits); any other text becomes the first 16 (trace) or 8
 * (observation) bytes of its SHA-256, which is {@code Langfuse.create_trace_id(seed=id)} in the Python
 * SDK, so a caller can compute the Langfuse id from its own.
 */
final class LangfuseIds {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    private static final String NAMESPACE = "llmhub-langfuse:";

    private LangfuseIds() {
    }

    /** @param recordId the record's id @return the 16-hex observation (span) id of its generation */
    static String observationId(String recordId) {
        return digestHex(NAMESPACE + "observation:" + recordId, 16);
    }

    /**
     * A parent span id for a generation that joins a trace someone else owns and has no parent of its
     * own: Langfuse never receives a span with this id (its trace view then shows the generation at the
     * top of the trace), but a parent makes the server treat the span as a non-root span that must not
     * rewrite the trace. The Langfuse SDK invents such a parent too when it continues a trace by id
     * alone (and then marks its span as the root, which is what must not happen here).
     *
     * @param recordId the record's id
     * @return 16 hex characters, the same for every export of this record
     */
    static String detachedParentSpanId(String recordId) {
        return digestHex(NAMESPACE + "parent:" + recordId, 16);
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
     * @param id a trace id as a caller or the record gave it
     * @return the OTLP trace id Langfuse will file it under: 32 lower-case hex characters, never all zeros
     */
    static String otelTraceId(String id) {
        return hexOrSeeded(id, 32);
    }

    /**
     * @param id an observation id as a caller gave it
     * @return the OTLP span id Langfuse will file it under: 16 lower-case hex characters, never all zeros
     */
    static String otelSpanId(String id) {
        return hexOrSeeded(id, 16);
    }

    /** @param hex an id as {@link #otelTraceId} or {@link #otelSpanId} return it @return its bytes */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static String hexOrSeeded(String id, int hexChars) {
        String compact = id.toLowerCase(Locale.ROOT).replace("-", "");
        if (compact.length() == hexChars && HEX.matcher(compact).matches() && !isZero(compact)) {
            return compact;
        }
        return digestHex(id, hexChars);
    }

    private static String digestHex(String text, int hexChars) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(digest, 0, hexChars / 2);
            // An all-zero id is invalid in OTLP; a SHA-256 prefix of zeros is astronomically unlikely.
            return isZero(hex) ? "1" + hex.substring(1) : hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static boolean isZero(String hex) {
        return hex.chars().allMatch(c -> c == '0');
    }
}
