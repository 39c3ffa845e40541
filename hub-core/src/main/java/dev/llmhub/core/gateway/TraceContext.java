package dev.llmhub.core.gateway;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The W3C trace ids of a call: the caller's trace and span from {@code traceparent} when valid,
 * otherwise a new trace; the proxy's own span id is always new.
 *
 * @param traceId      32 hex
 * @param spanId       16 hex, new
 * @param parentSpanId the caller's span, when it sent one
 */
public record TraceContext(String traceId, String spanId, Optional<String> parentSpanId) {
    private static final Pattern TRACEPARENT = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

    /** @param traceparent the header value, may be null */
    public static TraceContext from(String traceparent) {
        if (traceparent != null) {
            var m = TRACEPARENT.matcher(traceparent.strip().toLowerCase(java.util.Locale.ROOT));
            if (m.matches() && !m.group(1).equals("ff") && !m.group(2).matches("0+") && !m.group(3).matches("0+")) {
                return new TraceContext(m.group(2), newId(8), Optional.of(m.group(3)));
            }
        }
        return new TraceContext(newId(16), newId(8), Optional.empty());
    }

    private static String newId(int bytes) {
        byte[] b = new byte[bytes];
        do {
            ThreadLocalRandom.current().nextBytes(b);
        } while (allZero(b));
        return HexFormat.of().formatHex(b);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
