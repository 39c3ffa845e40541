package dev.llmhub.plugin.otel;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.ExportResult;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import java.net.URI;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies a failed OTLP export the way the OTLP specification does, so the core retries only what
 * can succeed later: no answer (collector down, timeout) and the transient gRPC codes or HTTP statuses
 * are retryable; a collector that refuses the data or the credentials is permanent.
 *
 * <p>The SDK reports failures through {@link FailedExportException} (an {@code internal} package of the
 * exporter, pinned by the OTel BOM; the tests cover each branch).
 */
final class ExportFailure {
    /** gRPC codes the OTLP spec lists as retryable. */
    private static final Set<GrpcStatusCode> RETRYABLE_GRPC = Set.of(GrpcStatusCode.CANCELLED,
            GrpcStatusCode.DEADLINE_EXCEEDED, GrpcStatusCode.RESOURCE_EXHAUSTED, GrpcStatusCode.ABORTED,
            GrpcStatusCode.OUT_OF_RANGE, GrpcStatusCode.UNAVAILABLE, GrpcStatusCode.DATA_LOSS);

    private ExportFailure() {
    }

    /**
     * @param what     {@code spans}, {@code metrics} or {@code events}
     * @param result   the finished (or timed-out) export
     * @param endpoint where it went (no credentials: settings refuse them in the URL)
     * @param secrets  header values to scrub from any message
     * @return the result for the core; never contains a secret
     */
    static ExportResult of(String what, CompletableResultCode result, URI endpoint, Collection<String> secrets) {
        String prefix = "OTLP " + what + " export to " + endpoint;
        if (!result.isDone()) {
            return ExportResult.retryable(prefix + " got no answer in time");
        }
        Throwable t = result.getFailureThrowable();
        if (t instanceof FailedExportException.GrpcExportException g && g.failedWithResponse() && g.getResponse() != null) {
            GrpcResponse r = g.getResponse();
            String reason = scrub(prefix + " refused: gRPC " + r.getStatusCode() + describe(r.getStatusDescription()), secrets);
            return RETRYABLE_GRPC.contains(r.getStatusCode()) ? ExportResult.retryable(reason) : ExportResult.permanent(reason);
        }
        if (t instanceof FailedExportException.HttpExportException h && h.failedWithResponse() && h.getResponse() != null) {
            int status = h.getResponse().getStatusCode();
            return ExportResult.fromHttpStatus(status, Optional.empty(), scrub(prefix + " refused"
                    + describe(h.getResponse().getStatusMessage()), secrets));
        }
        Throwable cause = t instanceof FailedExportException && t.getCause() != null ? t.getCause() : t;
        String detail = cause == null ? "" : ": " + cause.getClass().getSimpleName() + describe(cause.getMessage());
        return ExportResult.retryable(scrub(prefix + " failed" + detail, secrets));
    }

    /** @return the reason text of a failed result */
    static String reason(ExportResult result) {
        return switch (result) {
            case ExportResult.Retryable r -> r.reason();
            case ExportResult.Permanent p -> p.reason();
            default -> result.toString();
        };
    }

    private static String describe(String message) {
        return message == null || message.isBlank() ? "" : " (" + message + ")";
    }

    /**
     * Replaces each header value, and each word of it (a collector may echo only the token of
     * {@code Bearer <token>}), with the redaction placeholder.
     */
    private static String scrub(String text, Collection<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            if (secret.length() >= 4) {
                out = out.replace(secret, CallRecord.REDACTED);
            }
            for (String word : secret.split("\\s+")) {
                if (word.length() >= 8) {
                    out = out.replace(word, CallRecord.REDACTED);
                }
            }
        }
        return out;
    }
}
