package dev.llmhub.plugin.elasticsearch;

import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.ExportResult;
import dev.llmhub.api.PluginMetrics;
import dev.llmhub.plugin.kit.OnceLogger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a {@code _bulk} answer item by item. A 200 answer can still hold failed items:
 * <ul>
 *   <li>2xx: indexed;</li>
 *   <li>409 on {@code create}: a document with this record's id is already there, i.e. an earlier
 *       try landed; that is a success, which is what makes retries exactly-once;</li>
 *   <li>otherwise the item's status is classified as every HTTP answer is
 *       ({@link ExportResult#fromHttpStatus}): 429 and 500/502/503/504 retryable (the cluster is busy, a
 *       shard is unavailable); anything else (mostly 400 mapping errors) permanent, counted in
 *       {@code documents_rejected} and logged once per error type.</li>
 * </ul>
 */
final class BulkOutcomes {
    /** Elasticsearch quotes the offending value in mapping errors; a log line must not carry record data. */
    private static final Pattern VALUE_PREVIEW = Pattern.compile("\\s*Preview of field's value: .*", Pattern.DOTALL);
    private static final int MAX_REASON = 300;

    private final OnceLogger log;
    private final PluginMetrics.Counter rejected;
    private final PluginMetrics.Counter alreadyPresent;

    BulkOutcomes(OnceLogger log, PluginMetrics metrics) {
        this.log = log;
        this.rejected = metrics.counter("documents_rejected",
                "documents Elasticsearch refused permanently (mapping or other 4xx errors)");
        this.alreadyPresent = metrics.counter("documents_already_present",
                "documents found already indexed on a retry (409 on create), counted as delivered");
    }

    /**
     * @param batch    the records, in the order of the bulk operations
     * @param response the answer
     * @param failures where failed records are added, by record id
     */
    void read(List<CallRecord> batch, BulkResponse response, Map<String, ExportResult> failures) {
        List<BulkResponseItem> items = response.items();
        if (items.size() != batch.size()) {
            // Should never happen; do not guess which record an item belongs to.
            for (CallRecord r : batch) {
                failures.put(r.id(), ExportResult.retryable("the bulk answer has " + items.size()
                        + " items for " + batch.size() + " operations"));
            }
            return;
        }
        long duplicates = 0;
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            String id = batch.get(i).id();
            int status = item.status();
            if (status >= 200 && status < 300 && item.error() == null) {
                continue;
            }
            if (status == 409 && item.operationType() == OperationType.Create) {
                duplicates++;
                continue;
            }
            ErrorCause error = item.error();
            String type = error == null || error.type() == null ? "unknown" : error.type();
            String what = type + (error == null ? "" : ": " + clean(error.reason()));
            // A 2xx item with an error would read as a success; sending it again cannot change it.
            ExportResult result = status / 100 == 2 ? ExportResult.permanent("HTTP " + status + ": " + what)
                    : ExportResult.fromHttpStatus(status, Optional.empty(), what);
            if (result instanceof ExportResult.Permanent permanent) {
                rejected.increment();
                log.warn("rejected:" + type, "Elasticsearch rejected a call record for good (" + permanent.reason()
                        + "); it will not be retried. Other records of the batch are not affected."
                        + " Counted in llmhub_plugin_documents_rejected_total.");
            }
            failures.put(id, result);
        }
        if (duplicates > 0) {
            alreadyPresent.add(duplicates);
        }
    }

    static String clean(String reason) {
        if (reason == null) {
            return "";
        }
        String r = VALUE_PREVIEW.matcher(reason).replaceAll("");
        return r.length() > MAX_REASON ? r.substring(0, MAX_REASON) + "…" : r;
    }

    /** @return a fresh map for failures */
    static Map<String, ExportResult> newFailures() {
        return new HashMap<>();
    }
}
