package dev.llmhub.plugin.elasticsearch;

import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The data stream's templates: a component template {@code <index>@mappings} with the mapping, and an
 * index template {@code <index>} that makes {@code <index>} a data stream built from it and from an
 * optional {@code <index>@custom} the operator owns (replicas, lifecycle…). Both are sent with PUT,
 * which replaces them: installing is idempotent and a newer proxy updates them (new backing indices,
 * e.g. after a rollover, get the new mapping).
 */
final class IndexTemplates {
    private final String index;
    private final String componentTemplate;
    private final String indexTemplate;

    /** @param index the data stream name */
    IndexTemplates(String index) {
        this.index = index;
        this.componentTemplate = resource("component-template.json");
        this.indexTemplate = resource("index-template.json").replace("${index}", index);
    }

    /** @return the component template's name */
    String componentTemplateName() {
        return index + "@mappings";
    }

    /** @return the component template's body */
    String componentTemplate() {
        return componentTemplate;
    }

    /** @return the index template's body */
    String indexTemplate() {
        return indexTemplate;
    }

    /**
     * Installs both templates, component first (the index template refers to it).
     *
     * @param client the low-level client
     * @throws IOException when Elasticsearch cannot be reached or refuses (a
     *                     {@link co.elastic.clients.transport.rest5_client.low_level.ResponseException})
     */
    void install(Rest5Client client) throws IOException {
        Request component = new Request("PUT", "/_component_template/" + componentTemplateName());
        component.setJsonEntity(componentTemplate);
        client.performRequest(component);
        Request template = new Request("PUT", "/_index_template/" + index);
        template.setJsonEntity(indexTemplate);
        client.performRequest(template);
    }

    private static String resource(String name) {
        try (InputStream in = IndexTemplates.class.getResourceAsStream("/elasticsearch/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /elasticsearch/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
