package dev.llmhub.core.search;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A text looked for in a record's stored JSON bytes, ignoring ASCII case, so a search can skip records
 * without decoding them. Only plain printable ASCII is looked for: such a text appears in the JSON
 * exactly as it is in the value (JSON escapes only quotes, backslashes and control characters, and the
 * record codec writes other characters as UTF-8). Any other text gives no needle, and the search decodes.
 */
final class ByteNeedle {
    private final byte[] lower;

    private ByteNeedle(byte[] lower) {
        this.lower = lower;
    }

    /** @param text what a matching record's JSON must contain @return its needle, when it can have one */
    static Optional<ByteNeedle> of(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '\\' || c == '"') {
                return Optional.empty();
            }
        }
        return Optional.of(json(text));
    }

    /** @param json bytes exactly as the record's JSON holds them (ASCII), e.g. {@code "failure"} with its quotes */
    static ByteNeedle json(String json) {
        byte[] b = json.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < b.length; i++) {
            b[i] = lower(b[i]);
        }
        return new ByteNeedle(b);
    }

    /** @param haystack stored bytes @return whether the needle occurs in them, ignoring ASCII case */
    boolean in(byte[] haystack) {
        int n = lower.length;
        byte first = lower[0];
        outer:
        for (int i = 0, last = haystack.length - n; i <= last; i++) {
            if (lower(haystack[i]) != first) {
                continue;
            }
            for (int j = 1; j < n; j++) {
                if (lower(haystack[i + j]) != lower[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** @return whether {@code haystack} contains {@code needle}, ignoring the case of ASCII letters only */
    static boolean containsIgnoringAsciiCase(String haystack, String needle) {
        int n = needle.length();
        outer:
        for (int i = 0, last = haystack.length() - n; i <= last; i++) {
            for (int j = 0; j < n; j++) {
                if (lower(haystack.charAt(i + j)) != lower(needle.charAt(j))) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static byte lower(byte c) {
        return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }
}
