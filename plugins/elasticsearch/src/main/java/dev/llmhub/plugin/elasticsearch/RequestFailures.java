package dev.llmhub.plugin.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import dev.llmhub.api.ExportResult;
import dev.llmhub.api.Failures;
import dev.llmhub.plugin.kit.OnceLogger;
import java.util.Optional;

/**
 * Turns a failed request (the whole {@code _bulk}, or a template install) into a result: no answer at
 * all (connection refused, timeout) and 429/5xx answers are retryable; 401/403 are permanent with a
 * line that names the cluster, never the credentials; other 4xx are permanent.
 */
final class RequestFailures {
    private final String hosts;
    private final OnceLogger log;

    /**
     * @param hosts the cluster's addresses, without credentials
     * @param log   where to say it
     */
    RequestFailures(String hosts, OnceLogger log) {
        this.hosts = hosts;
        this.log = log;
    }

    /**
     * @param what what was being done, e.g. {@code bulk indexing}
     * @param e    what went wrong
     * @return the result for the whole batch
     */
    ExportResult classify(String what, Exception e) {
        int status = -1;
        String type = null;
        Optional<String> retryAfter = Optional.empty();
        if (e instanceof ElasticsearchException ee) {
            status = ee.status();
            type = ee.error() == null ? null : ee.error().type();
            retryAfter = header(ee.httpResponse() == null ? null : ee.httpResponse().header("Retry-After"));
        } else if (e instanceof TransportException te) {
            status = te.statusCode();
            retryAfter = header(te.response() == null ? null : te.response().header("Retry-After"));
        } else if (e instanceof ResponseException re) {
            status = re.getResponse().getStatusCode();
            retryAfter = header(re.getResponse().getHeader("Retry-After"));
        }
        if (status <= 0) {
            // Connection errors say host and port, never credentials.
            String reason = "cannot reach Elasticsearch at " + hosts + " while " + what + ": " + Failures.describe(e, 4);
            log.warn("unreachable", reason + " (will retry)");
            return ExportResult.retryable(reason);
        }
        log.forget("unreachable");
        String reason = "Elasticsearch at " + hosts + " answered HTTP " + status
                + (type == null ? "" : " (" + type + ")") + " while " + what;
        if (status == 401 || status == 403) {
            log.warn("auth:" + status, reason + ": " + (status == 401
                    ? "the credentials were refused; check api_key or username/password"
                    : "the credentials lack a privilege (writing to the data stream"
                    + " or, for the template, manage_index_templates; set install_template: false"
                    + " when an operator installs it)") + ". Not retried.");
            return ExportResult.permanent(reason);
        }
        ExportResult result = ExportResult.fromHttpStatus(status, retryAfter, reason);
        log.warn("status:" + status + ":" + what, reason + (result instanceof ExportResult.Retryable
                ? " (will retry)" : " (not retried)"));
        return result;
    }

    /** The cluster answered: the next time it cannot be reached is worth a warning again. */
    void answered() {
        log.forget("unreachable");
    }

    private static Optional<String> header(String value) {
        return Optional.ofNullable(value);
    }
}
