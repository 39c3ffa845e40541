package dev.llmhub.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, null-tolerant immutable copies of JSON-like trees (maps, lists, strings, numbers, booleans,
 * null). {@link Map#copyOf} refuses null values, but JSON content such as {@code "content": null}
 * next to {@code tool_calls} is legal, so records copy their content through here.
 */
final class JsonTrees {
    private JsonTrees() {
    }

    static Map<String, Object> freezeMap(Map<String, ?> map) {
        if (map == null) {
            throw new NullPointerException("map is null");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, freeze(v)));
        return Collections.unmodifiableMap(copy);
    }

    static List<Map<String, Object>> freezeListOfMaps(List<? extends Map<String, ?>> list) {
        if (list == null) {
            throw new NullPointerException("list is null");
        }
        List<Map<String, Object>> copy = new ArrayList<>(list.size());
        for (Map<String, ?> m : list) {
            copy.add(freezeMap(m));
        }
        return Collections.unmodifiableList(copy);
    }

    @SuppressWarnings("unchecked")
    static Object freeze(Object value) {
        if (value instanceof Map<?, ?> m) {
            return freezeMap((Map<String, ?>) m);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            for (Object o : l) {
                copy.add(freeze(o));
            }
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
