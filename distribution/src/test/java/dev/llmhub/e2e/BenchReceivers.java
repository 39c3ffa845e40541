package dev.llmhub.e2e;

import dev.llmhub.plugin.langfuse.LangfuseStandIn;
import dev.llmhub.plugin.otel.OtlpReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.List;

/**
 * The tests' own receivers as a process for {@code bench/pipeline.sh}: the OTLP/gRPC receiver of the
 * otel plugin's tests and the Langfuse stand-in of the langfuse plugin's tests (it checks every OTLP
 * request by Langfuse's rules), on loopback. Prints {@code otel=<endpoint> langfuse=<url>} on its first
 * line, then serves until killed. Every second it counts what arrived, forgets it (a benchmark sends
 * millions of spans) and rewrites the counts file: {@code otel_spans=N langfuse_spans_at_least=N
 * langfuse_violations=N} and the first violation, if any.
 *
 * <p>Argument: the counts file.
 */
public final class BenchReceivers {
    private BenchReceivers() {
    }

    public static void main(String[] args) throws Exception {
        Path counts = Path.of(args[0]);
        OtlpReceiver otel = new OtlpReceiver().start();
        LangfuseStandIn langfuse = LangfuseStandIn.start();
        System.out.println("otel=" + otel.endpoint() + " langfuse=" + langfuse.url());
        System.out.flush();
        long otelSpans = 0;
        long langfuseSpans = 0;
        long violations = 0;
        String firstViolation = "";
        while (true) {
            Thread.sleep(1000);
            // Count, then forget (requests only ever append, so the first n are the ones counted).
            List<ExportTraceServiceRequest> got = List.copyOf(otel.traceRequests);
            otel.traceRequests.subList(0, got.size()).clear();
            otel.metricRequests.clear();
            otel.logRequests.clear();
            otel.requestHeaders.clear();
            otelSpans += got.stream().flatMap(r -> r.getResourceSpansList().stream())
                    .flatMap(rs -> rs.getScopeSpansList().stream()).mapToLong(ss -> ss.getSpansCount()).sum();
            // The stand-in has no such hand-over: spans arriving between the count and the reset are missed.
            List<String> v = langfuse.violations();
            langfuseSpans += langfuse.spans().size();
            langfuse.reset();
            violations += v.size();
            if (firstViolation.isEmpty() && !v.isEmpty()) {
                firstViolation = v.get(0);
            }
            Path tmp = counts.resolveSibling(counts.getFileName() + ".tmp");
            Files.writeString(tmp, "otel_spans=" + otelSpans + " langfuse_spans_at_least=" + langfuseSpans
                    + " langfuse_violations=" + violations
                    + (firstViolation.isEmpty() ? "" : "\nfirst violation: " + firstViolation) + "\n");
            Files.move(tmp, counts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
