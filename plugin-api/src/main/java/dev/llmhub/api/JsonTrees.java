package dev.llmhub.api;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Deep, null-tolerant immutable copies of JSON-like trees (maps, lists, strings, numbers, booleans,
 * null). {@link Map#copyOf} refuses null values, but JSON content such as {@code "content": null}
 * next to {@code tool_calls} is legal, so records copy their content through here. Only the
 * containers named by the caller must not be null; the message says which one was.
 *
 * <p>A frozen container is of a class only this file makes, so freezing it again returns it as it
 * is: a record derived from another ({@code toBuilder()}, redaction) shares the trees it did not
 * change instead of copying them once more.
 */
final class JsonTrees {
    private JsonTrees() {
    }

    /** @param map a map @param name what it is, for the message @return its frozen copy */
    static Map<String, Object> freezeMap(Map<String, ?> map, String name) {
        if (map == null) {
            throw new NullPointerException(name + " is null");
        }
        return freezeObjectMap(map);
    }

    /** @param map a map of strings (headers) @param name what it is, for the message @return its frozen copy */
    @SuppressWarnings("unchecked")
    static Map<String, String> freezeStrings(Map<String, String> map, String name) {
        if (map == null) {
            throw new NullPointerException(name + " is null");
        }
        if (map instanceof FrozenMap<?>) {
            return map;
        }
        return new FrozenMap<>(new LinkedHashMap<>(map));
    }

    /** @param list a list of maps @param name what it is, for the message @return its frozen copy */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> freezeListOfMaps(List<? extends Map<String, ?>> list, String name) {
        if (list == null) {
            throw new NullPointerException(name + " is null");
        }
        if (list instanceof FrozenList<?>) {
            return (List<Map<String, Object>>) list; // only ever made below, of frozen maps
        }
        List<Map<String, Object>> copy = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Map<String, ?> m = list.get(i);
            if (m == null) {
                throw new NullPointerException(name + "[" + i + "] is null");
            }
            copy.add(freezeObjectMap(m));
        }
        return new FrozenList<>(copy);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> freezeObjectMap(Map<String, ?> map) {
        if (map instanceof FrozenMap<?>) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
        map.forEach((k, v) -> copy.put(k, freeze(v)));
        return new FrozenMap<>(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object freeze(Object value) {
        if (value instanceof Map<?, ?> m) {
            return freezeObjectMap((Map<String, ?>) m);
        }
        if (value instanceof List<?> l) {
            if (l instanceof FrozenList<?>) {
                return l;
            }
            List<Object> copy = new ArrayList<>(l.size());
            for (Object o : l) {
                copy.add(freeze(o));
            }
            return new FrozenList<>(copy);
        }
        return value;
    }

    /** An unmodifiable view of a private copy whose values are frozen too. */
    private static final class FrozenMap<V> extends AbstractMap<String, V> {
        private final Map<String, V> view;

        FrozenMap(Map<String, V> privateCopy) {
            this.view = Collections.unmodifiableMap(privateCopy);
        }

        @Override
        public Set<Entry<String, V>> entrySet() {
            return view.entrySet();
        }

        @Override
        public int size() {
            return view.size();
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public V get(Object key) {
            return view.get(key);
        }

        @Override
        public Set<String> keySet() {
            return view.keySet();
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super V> action) {
            view.forEach(action);
        }
    }

    /** An unmodifiable view of a private copy whose elements are frozen too. */
    private static final class FrozenList<E> extends AbstractList<E> implements RandomAccess {
        private final List<E> elements;

        FrozenList(List<E> privateCopy) {
            this.elements = privateCopy;
        }

        @Override
        public E get(int index) {
            return elements.get(index);
        }

        @Override
        public int size() {
            return elements.size();
        }
    }
}
