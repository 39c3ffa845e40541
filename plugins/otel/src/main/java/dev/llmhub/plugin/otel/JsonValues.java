package dev.llmhub.plugin.otel;

import io.opentelemetry.api.common.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-like trees (maps, lists, strings, numbers, booleans) as OpenTelemetry's structured
 * {@link Value}: what an event's content attributes must be, where a span's carry JSON text.
 */
final class JsonValues {
    private JsonValues() {
    }

    static Value<?> of(Object tree) {
        if (tree instanceof Map<?, ?> map) {
            Map<String, Value<?>> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), of(v)));
            return Value.of(out);
        }
        if (tree instanceof List<?> list) {
            List<Value<?>> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(of(v)));
            return Value.of(out);
        }
        if (tree instanceof String s) {
            return Value.of(s);
        }
        if (tree instanceof Boolean b) {
            return Value.of(b);
        }
        if (tree instanceof Double || tree instanceof Float || tree instanceof java.math.BigDecimal) {
            return Value.of(((Number) tree).doubleValue());
        }
        if (tree instanceof Number n) {
            return Value.of(n.longValue());
        }
        return tree == null ? Value.empty() : Value.of(tree.toString());
    }
}
