package dev.llmhub.plugin.kit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Writes the JSON-like trees of the call record (maps, lists, strings, numbers, booleans, null: what
 * {@code dev.llmhub.api.JsonTrees} holds) as JSON, walking them directly.
 *
 * <p>A mapper's {@code writeValueAsBytes(map)} gives the same bytes but looks up a serializer for every
 * value by its runtime class; on a destination's lane that lookup was the largest part of writing the
 * record's messages as JSON. Values of any other type go through the generator's mapper, as before.
 */
public final class TreeJson {
    private TreeJson() {
    }

    /**
     * @param mapper the plugin's mapper (its settings apply, and it writes values that are not tree nodes)
     * @param tree   a map, list, string, number, boolean or null
     * @return the tree as JSON, UTF-8
     */
    public static byte[] bytes(ObjectMapper mapper, Object tree) {
        // As the mapper's writeValueAsBytes does: the output buffer comes from the mapper's recycler pool.
        BufferRecycler recycler = mapper.getFactory()._getBufferRecycler();
        try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
            try (JsonGenerator g = mapper.createGenerator(out)) {
                write(g, tree);
            }
            return out.getClearAndRelease();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getMessage(), e);
        } finally {
            recycler.releaseToPool();
        }
    }

    /**
     * @param g    where to write; made by a mapper when the tree may hold values of other types
     * @param tree a map, list, string, number, boolean or null
     * @throws IOException from the generator
     */
    public static void write(JsonGenerator g, Object tree) throws IOException {
        switch (tree) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) {
                    write(g, o);
                }
                g.writeEndArray();
            }
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case BigDecimal d -> g.writeNumber(d);
            case BigInteger i -> g.writeNumber(i);
            default -> g.writeObject(tree);
        }
    }
}
