package dev.llmhub.plugin.langfuse;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps metadata keys apart where Langfuse merges them, so no value overwrites another.
 *
 * <p>Langfuse's OTLP ingestion builds an observation's metadata as its own keys {@code attributes},
 * {@code resourceAttributes} and {@code scope}, then the span's metadata, then the trace metadata of the
 * same span; a root span's trace metadata is the trace metadata, then the span's, then its own keys
 * ({@code OtelIngestionProcessor.ts}, see docs/destinations/langfuse.md, "Metadata"). So a generation key
 * equal to a trace metadata key, or any key equal to one of Langfuse's own, loses its value in one of
 * the two places. Colliding keys are renamed here, the same way in both modes.
 */
final class MetadataKeys {
    /** Keys Langfuse's OTLP ingestion writes at the top of an observation's (and a root trace's) metadata. */
    static final Set<String> LANGFUSE_OWN = Set.of("attributes", "resourceAttributes", "scope");
    /** Prefix of a request metadata key that names one of llmhub's or Langfuse's own keys. */
    static final String REQUEST_PREFIX = "request_";
    /** Prefix of a generation metadata key that a trace metadata key of another value also uses. */
    static final String GENERATION_PREFIX = "generation_";

    private MetadataKeys() {
    }

    /**
     * @param value the request's {@code trace_metadata}
     * @return the trace metadata to send: an object's keys, a Langfuse key renamed; empty for anything else
     */
    static Map<String, Object> traceMetadata(Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            Set<String> taken = new HashSet<>(LANGFUSE_OWN);
            m.keySet().forEach(k -> taken.add(String.valueOf(k)));
            m.forEach((k, v) -> {
                String key = String.valueOf(k);
                out.put(LANGFUSE_OWN.contains(key) ? free(key, REQUEST_PREFIX, taken) : key, v);
            });
        }
        return out;
    }

    /**
     * @param own           llmhub's keys (call id, routing, attempts…)
     * @param request       the request's metadata
     * @param consumedExtra request keys consumed besides {@link GenerationMapper#LANGFUSE_KEYS}
     * @param traceMetadata the trace metadata sent with the same call
     * @return the generation metadata: llmhub's keys, then the request's other keys; a request key that
     *         llmhub or Langfuse uses itself gets {@value #REQUEST_PREFIX}, and a key the trace metadata
     *         holds with another value gets {@value #GENERATION_PREFIX}
     */
    static Map<String, Object> generationMetadata(Map<String, Object> own, Map<String, Object> request,
                                                  Set<String> consumedExtra, Map<String, Object> traceMetadata) {
        Map<String, Object> merged = new LinkedHashMap<>(own);
        Set<String> taken = new HashSet<>(own.keySet());
        taken.addAll(LANGFUSE_OWN);
        taken.add(Generation.NOTE_KEY);
        request.keySet().forEach(taken::add);
        request.forEach((k, v) -> {
            if (v == null || GenerationMapper.LANGFUSE_KEYS.contains(k) || consumedExtra.contains(k)) {
                return;
            }
            boolean clash = own.containsKey(k) || LANGFUSE_OWN.contains(k) || Generation.NOTE_KEY.equals(k);
            String key = clash ? free(k, REQUEST_PREFIX, taken) : k;
            taken.add(key);
            merged.put(key, v);
        });
        if (traceMetadata.isEmpty()) {
            return merged;
        }
        Set<String> all = new HashSet<>(merged.keySet());
        all.addAll(traceMetadata.keySet());
        Map<String, Object> out = new LinkedHashMap<>();
        merged.forEach((k, v) -> {
            boolean clash = traceMetadata.containsKey(k) && !Objects.equals(traceMetadata.get(k), v);
            String key = clash ? free(k, GENERATION_PREFIX, all) : k;
            all.add(key);
            out.put(key, v);
        });
        return out;
    }

    /** @return {@code prefix + key} (the prefix repeated as often as needed) that no key in {@code taken} uses */
    private static String free(String key, String prefix, Set<String> taken) {
        String candidate = prefix + key;
        while (taken.contains(candidate)) {
            candidate = prefix + candidate;
        }
        return candidate;
    }
}
