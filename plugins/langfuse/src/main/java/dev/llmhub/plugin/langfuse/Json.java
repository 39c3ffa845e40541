package dev.llmhub.plugin.langfuse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmhub.plugin.kit.PluginJson;
import dev.llmhub.plugin.kit.TreeJson;
import java.io.UncheckedIOException;

/** The plugin's one JSON mapper, for JSON-like trees (maps, lists, scalars) and Jackson nodes. */
final class Json {
    /** Made by the plugin kit, so that it does not outlive the plugin (see {@link PluginJson}). */
    static final ObjectMapper MAPPER = PluginJson.newMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    static String write(Object tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static byte[] bytes(Object tree) {
        return TreeJson.bytes(MAPPER, tree);
    }
}
