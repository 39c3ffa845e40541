package dev.llmhub.plugin.otel;

import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.llmhub.api.CallRecord;
import dev.llmhub.plugin.kit.BoundedMemo;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * llmhub's own attributes ({@code llmhub.*}, outside the conventions' namespaces) and the caller's
 * identity, which the proxy's server span and the GenAI span both carry.
 */
final class RecordAttributes {
    static final AttributeKey<String> CALL_ID = stringKey("llmhub.call.id");
    static final AttributeKey<String> CALL_TYPE = stringKey("llmhub.call.type");
    static final AttributeKey<String> MODEL_GROUP = stringKey("llmhub.model_group");
    static final AttributeKey<String> DEPLOYMENT = stringKey("llmhub.deployment");
    static final AttributeKey<Double> COST_TOTAL = doubleKey("llmhub.cost.total");
    static final AttributeKey<Double> COST_INPUT = doubleKey("llmhub.cost.input");
    static final AttributeKey<Double> COST_OUTPUT = doubleKey("llmhub.cost.output");
    static final AttributeKey<String> COST_CURRENCY = stringKey("llmhub.cost.currency");
    static final AttributeKey<String> USAGE_SOURCE = stringKey("llmhub.usage.source");
    static final AttributeKey<List<String>> TAGS = stringArrayKey("llmhub.metadata.tags");
    static final AttributeKey<String> API_KEY_HASH = stringKey("llmhub.api_key.hash");
    static final AttributeKey<String> API_KEY_ALIAS = stringKey("llmhub.api_key.alias");
    static final AttributeKey<Long> UPSTREAM_LATENCY = longKey("llmhub.upstream_latency_ms");
    static final AttributeKey<Long> OVERHEAD = longKey("llmhub.overhead_ms");
    static final AttributeKey<Long> ATTEMPT_COUNT = longKey("llmhub.attempt.count");
    static final AttributeKey<String> ERROR_TYPE = stringKey("llmhub.error.type");
    static final AttributeKey<String> ERROR_MESSAGE = stringKey("llmhub.error.message");

    /**
     * Header names whose values are credentials. The core redacts them before any plugin sees a
     * record; redacting again here means a core bug still cannot put a key on the wire.
     */
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "api-key",
            "x-api-key", "cookie", "set-cookie", "x-goog-api-key", "anthropic-api-key", "openai-api-key",
            "x-litellm-api-key", "ocp-apim-subscription-key");

    /** Names that announce a credential, in headers or metadata keys: redacted or left out here too. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(authorization|api[-_]?key|secret|password|cookie|(^|[-_])token($|[-_])).*");

    /** Header names and metadata keys repeat: matching each against the pattern was 6 % of the lane's CPU samples. */
    private static final BoundedMemo<String, Boolean> SECRET = new BoundedMemo<>(4096,
            name -> SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) || SECRET_NAME.matcher(name).matches());

    /** Each metadata key's attribute keys, one per type a value can have, made and encoded once. */
    private record MetadataKeys(AttributeKey<String> text, AttributeKey<Boolean> bool, AttributeKey<Double> real,
                                AttributeKey<Long> whole) {
        static MetadataKeys of(String key) {
            String name = "llmhub.metadata." + key.toLowerCase(Locale.ROOT);
            return new MetadataKeys(stringKey(name), AttributeKey.booleanKey(name), doubleKey(name), longKey(name));
        }
    }

    private static final BoundedMemo<String, MetadataKeys> METADATA_KEYS = new BoundedMemo<>(4096, MetadataKeys::of);

    private RecordAttributes() {
    }

    static boolean looksSecret(String name) {
        return SECRET.get(name);
    }

    /** Who called, the record id, why it failed, and the request's metadata. */
    static void putInto(CallRecord r, AttributesBuilder b) {
        b.put(CALL_ID, r.id());
        b.put(CALL_TYPE, r.callType().wireName());
        r.endUser().or(r::user).filter(u -> !u.isBlank()).ifPresent(u -> b.put(GenAi.USER_ID, u));
        r.apiKey().ifPresent(k -> {
            b.put(API_KEY_HASH, k.hash());
            k.alias().ifPresent(al -> b.put(API_KEY_ALIAS, al));
        });
        b.put(UPSTREAM_LATENCY, r.upstreamLatencyMs());
        b.put(OVERHEAD, r.overheadMs());
        r.error().ifPresent(e -> b.put(ERROR_MESSAGE, e.message()));
        metadata(r.metadata(), b);
    }

    /** Request metadata as {@code llmhub.metadata.*}: tags as a string array, other scalars as they are. */
    private static void metadata(Map<String, Object> metadata, AttributesBuilder b) {
        metadata.forEach((key, value) -> {
            if (looksSecret(key)) {
                return;
            }
            if (key.equals("tags")) {
                if (value instanceof List<?> l) {
                    b.put(TAGS, l.stream().filter(o -> o != null && !(o instanceof Map) && !(o instanceof List))
                            .map(Object::toString).toList());
                } else if (value instanceof String s) {
                    b.put(TAGS, List.of(s));
                }
                return;
            }
            if (value instanceof String s) {
                b.put(METADATA_KEYS.get(key).text(), s);
            } else if (value instanceof Boolean bool) {
                b.put(METADATA_KEYS.get(key).bool(), bool);
            } else if (value instanceof Double || value instanceof Float) {
                b.put(METADATA_KEYS.get(key).real(), ((Number) value).doubleValue());
            } else if (value instanceof Number n) {
                b.put(METADATA_KEYS.get(key).whole(), n.longValue());
            }
            // Nested objects and lists stay in the request input event: attributes should be flat.
        });
    }
}
