package dev.llmhub.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, null-tolerant immutable copies of JSON-like trees (maps, lists, strings, numbers, booleans,
 * null). {@link Map#copyOf} refuses null values, but JSON content such as {@code "content": null}
 * next to {@code tool_calls} is legal, so records copy their content through here. Only the
 * containers named by the caller must not be null; the message says which one was.
 */
final class JsonTrees {
    private JsonTrees() {
    }

    /** @param map a map @param name what it is, for the message @return its frozen copy */
    static Map<String, Object> freezeMap(Map<String, ?> map, String name) {
        if (map == null) {
            throw new NullPointerException(name + " is null");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, freeze(v)));
        return Collections.unmodifiableMap(copy);
    }

    /** @param list a list of maps @param name what it is, for the message @return its frozen copy */
    static List<Map<String, Object>> freezeListOfMaps(List<? extends Map<String, ?>> list, String name) {
        if (list == null) {
            throw new NullPointerException(name + " is null");
        }
        List<Map<String, Object>> copy = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            copy.add(freezeMap(list.get(i), name + "[" + i + "]"));
        }
        return Collections.unmodifiableList(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object freeze(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, ?>) m).forEach((k, v) -> copy.put(k, freeze(v)));
            return Collections.unmodifiableMap(copy);
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
