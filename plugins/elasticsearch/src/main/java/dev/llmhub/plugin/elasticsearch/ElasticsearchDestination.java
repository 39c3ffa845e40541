package dev.llmhub.plugin.elasticsearch;

import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.plugin.kit.OnceLogger;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends each batch as one {@code _bulk} of {@code create} operations into the data stream, with the
 * record id as {@code _id}: a record that an earlier, seemingly failed try already indexed answers
 * 409 and counts as delivered, so the core's retries never make a second document.
 *
 * <p>Translation and transport only: no queue, thread or retry of its own (the core's lane has them).
 * The index template is installed before the first write (and again after a failed install), because a
 * write into a name without a matching template would create a plain index with guessed mappings.
 */
final class ElasticsearchDestination implements Destination {
    private final ElasticsearchSettings settings;
    private final ElasticsearchConnection connection;
    private final CallDocuments documents;
    private final IndexTemplates templates;
    private final BulkOutcomes outcomes;
    private final RequestFailures failures;
    private final OnceLogger log;
    private final Object installLock = new Object();
    private volatile boolean templateReady;

    ElasticsearchDestination(ElasticsearchSettings settings, ElasticsearchConnection connection,
                             CallDocuments documents, IndexTemplates templates, BulkOutcomes outcomes,
                             RequestFailures failures, OnceLogger log) {
        this.settings = settings;
        this.connection = connection;
        this.documents = documents;
        this.templates = templates;
        this.outcomes = outcomes;
        this.failures = failures;
        this.log = log;
        this.templateReady = !settings.installTemplate();
    }

    @Override
    public ExportResult export(List<CallRecord> batch) {
        if (!templateReady) {
            ExportResult installed = installTemplate();
            if (installed != null) {
                return installed;
            }
        }
        Map<String, ExportResult> failed = BulkOutcomes.newFailures();
        List<CallRecord> sent = new ArrayList<>(batch.size());
        List<BulkOperation> operations = new ArrayList<>(batch.size());
        for (CallRecord r : batch) {
            ObjectNode doc;
            try {
                doc = documents.of(r);
            } catch (RuntimeException e) {
                log.warn("document:" + e.getClass().getName(), "cannot build the document of a call record: " + e.getMessage());
                failed.put(r.id(), ExportResult.permanent("cannot build the document: " + e.getMessage()));
                continue;
            }
            sent.add(r);
            operations.add(BulkOperation.of(op -> op.create(c -> c.index(settings.index()).id(r.id()).document(doc))));
        }
        if (!operations.isEmpty()) {
            BulkResponse response;
            try {
                response = connection.client().bulk(new BulkRequest.Builder()
                        .operations(operations)
                        // Give up on unavailable shards before the client gives up on the request, so
                        // the answer (503 per item) says why.
                        .timeout(t -> t.time(serverTimeout().toMillis() + "ms"))
                        .build());
            } catch (IOException | RuntimeException e) {
                ExportResult whole = failures.classify("bulk indexing into " + settings.index(), e);
                if (failed.isEmpty()) {
                    return whole;
                }
                sent.forEach(r -> failed.put(r.id(), whole));
                return ExportResult.partial(failed);
            }
            failures.answered();
            outcomes.read(sent, response, failed);
        }
        return ExportResult.partial(failed);
    }

    /** @return null when the template is in place, else the result for the batch */
    private ExportResult installTemplate() {
        synchronized (installLock) {
            if (templateReady) {
                return null;
            }
            try {
                templates.install(connection.lowLevel());
                templateReady = true;
                log.forget("template");
                return null;
            } catch (IOException | RuntimeException e) {
                return failures.classify("installing the index template " + settings.index(), e);
            }
        }
    }

    private Duration serverTimeout() {
        Duration half = settings.requestTimeout().dividedBy(2);
        return half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : half;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            log.warn("close", "closing the Elasticsearch client failed: " + e.getMessage());
        }
    }
}
