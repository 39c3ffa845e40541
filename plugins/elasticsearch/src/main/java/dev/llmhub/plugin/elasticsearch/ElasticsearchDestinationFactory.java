package dev.llmhub.plugin.elasticsearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.PluginContext;
import dev.llmhub.plugin.kit.OnceLogger;
import dev.llmhub.plugin.kit.PluginJson;
import org.pf4j.Extension;

/**
 * {@code elasticsearch}: indexes every call record into an Elasticsearch 8/9 data stream
 * ({@code docs/destinations/elasticsearch.md}). Creating it checks the settings only; the cluster is
 * first contacted by the first export, so the proxy starts even while the cluster is down.
 */
@Extension
public final class ElasticsearchDestinationFactory implements DestinationFactory {

    @Override
    public String name() {
        return "elasticsearch";
    }

    @Override
    public Destination create(PluginContext context) {
        ElasticsearchSettings settings = ElasticsearchSettings.from(context);
        ObjectMapper mapper = PluginJson.newMapper();
        OnceLogger log = new OnceLogger(context.logger());
        ElasticsearchConnection connection = new ElasticsearchConnection(settings, mapper);
        context.logger().log(System.Logger.Level.INFO, "elasticsearch destination writes to data stream "
                + settings.index() + " at " + settings.hostsForLog() + " (auth: " + authKind(settings) + ")");
        return new ElasticsearchDestination(settings, connection, new CallDocuments(context::toJson, mapper),
                new IndexTemplates(settings.index()), new BulkOutcomes(log, context.metrics()),
                new RequestFailures(settings.hostsForLog(), log), log);
    }

    private static String authKind(ElasticsearchSettings settings) {
        return switch (settings.auth()) {
            case ElasticsearchSettings.Auth.None none -> "none";
            case ElasticsearchSettings.Auth.ApiKey key -> "api key";
            case ElasticsearchSettings.Auth.Basic basic -> "basic, user " + basic.username();
        };
    }
}
