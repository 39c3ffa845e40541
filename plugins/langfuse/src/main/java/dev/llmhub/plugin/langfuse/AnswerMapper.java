package dev.llmhub.plugin.langfuse;

import dev.llmhub.api.ExportResult;
import dev.llmhub.plugin.kit.OnceLogger;
import java.lang.System.Logger.Level;
import java.net.URI;

/**
 * Turns a request-level HTTP answer into an {@link ExportResult} (with {@link ExportResult#fromHttpStatus},
 * the one classification every destination shares), and says once, clearly, when Langfuse refuses the
 * credentials: a wrong key is the most common set-up mistake, and one line that names the host (never
 * the key) is what the user needs, not one line per batch.
 */
final class AnswerMapper {
    private static final String AUTH = "auth";

    private final OnceLogger log;
    private final URI host;

    AnswerMapper(OnceLogger log, URI host) {
        this.log = log;
        this.host = host;
    }

    ExportResult map(LangfuseHttp.Answer answer, String endpoint) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            log.forget(AUTH);
        }
        if (!isAuthProblem(status)) {
            return ExportResult.fromHttpStatus(status, answer.retryAfter(),
                    "Langfuse at " + host + endpoint + " answered: " + answer.bodyExcerpt());
        }
        String why = status == 401
                ? "rejected the key pair: check LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY (or "
                + "callback_settings.langfuse.public_key/secret_key) and that they belong to a project on this host"
                : "refused the records (ingestion suspended or not allowed for this key): " + answer.bodyExcerpt();
        log.log(Level.ERROR, AUTH, "Langfuse at " + host + " " + why + " (HTTP " + status + ")");
        return ExportResult.fromHttpStatus(status, answer.retryAfter(), "Langfuse at " + host + " " + why);
    }

    /** @param status an HTTP status @return whether Langfuse refused the key pair, not the records */
    static boolean isAuthProblem(int status) {
        return status == 401 || status == 403;
    }

    /** @param e why the request did not get an answer @return a retryable result naming the host */
    ExportResult unreachable(RuntimeException e) {
        // The I/O exception itself says best what happened (ConnectException, HttpTimeoutException…).
        Throwable cause = e instanceof java.io.UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        return ExportResult.retryable("cannot reach Langfuse at " + host + ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
    }
}
