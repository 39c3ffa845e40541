package dev.llmhub.plugin.otel;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the OpenTelemetry environment's {@code key1=value1,key2=value2} lists
 * ({@code OTEL_EXPORTER_OTLP_HEADERS}, {@code OTEL_RESOURCE_ATTRIBUTES}); values are percent-decoded as
 * the OTel SDK specification says.
 */
final class KeyValueList {
    private KeyValueList() {
    }

    /**
     * @param text the list
     * @return the pairs in order, or empty when an entry is malformed (no {@code =}, empty key, bad
     *         percent escape). The caller names the setting; the value may be a secret, so it is never
     *         part of the answer.
     */
    static Optional<Map<String, String>> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String key = entry.substring(0, eq).trim();
            if (key.isEmpty()) {
                return Optional.empty();
            }
            try {
                String value = URLDecoder.decode(entry.substring(eq + 1).trim().replace("+", "%2B"), StandardCharsets.UTF_8);
                out.put(key, value);
            } catch (IllegalArgumentException badEscape) {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }
}
