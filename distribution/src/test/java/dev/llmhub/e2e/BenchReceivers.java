package dev.llmhub.e2e;

import dev.llmhub.plugin.langfuse.LangfuseStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The receivers of {@code bench/pipeline.sh} as a process: an OTLP/gRPC receiver from the official
 * protos ({@link BenchOtlpReceiver}) and the langfuse tests' Langfuse stand-in, on loopback. Prints
 * {@code otel=<endpoint> langfuse=<url>} on its first line, then serves until killed. Every second it
 * rewrites the counts file: {@code otel_spans=N otel_requests=N otel_decoded=N langfuse_spans=N
 * langfuse_requests=N langfuse_validated=N violations=N} and the first violation, if any, and lets the
 * stand-in forget what it kept (a benchmark sends millions of spans).
 *
 * <p>They share the proxy's cores, so what they spend is the benchmark's too: with a second argument
 * {@code n > 1} each decodes and checks one request in {@code n} by all its rules (the stand-in: Langfuse's
 * server rules; the OTLP receiver: the protos) and only counts the spans of the others from the wire,
 * after the checks a request as a whole gets (credentials, headers, gzip). The counts say how many were
 * checked; the tests check every request.
 *
 * <p>Arguments: the counts file; decode and check one request in n (default 1: all).
 */
public final class BenchReceivers {
    private BenchReceivers() {
    }

    public static void main(String[] args) throws Exception {
        Path counts = Path.of(args[0]);
        int oneIn = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        BenchOtlpReceiver otel = new BenchOtlpReceiver(oneIn);
        LangfuseStandIn langfuse = LangfuseStandIn.start().validateOneIn(oneIn);
        System.out.println("otel=" + otel.endpoint() + " langfuse=" + langfuse.url() + " check_one_in=" + oneIn);
        System.out.flush();
        long violations = 0;
        String firstViolation = "";
        while (true) {
            Thread.sleep(1000);
            List<String> v = langfuse.violations();
            langfuse.reset(); // violations arriving between the two calls are missed; the first one is kept
            violations += v.size();
            if (firstViolation.isEmpty() && !v.isEmpty()) {
                firstViolation = "langfuse: " + v.get(0);
            }
            if (firstViolation.isEmpty() && otel.violations.get() > 0) {
                firstViolation = "otel: " + otel.firstViolation;
            }
            Path tmp = counts.resolveSibling(counts.getFileName() + ".tmp");
            Files.writeString(tmp, "otel_spans=" + otel.spans.get() + " otel_requests=" + otel.requests.get()
                    + " otel_decoded=" + otel.decoded.get() + " langfuse_spans=" + langfuse.otlpSpans()
                    + " langfuse_requests=" + langfuse.otlpRequests() + " langfuse_validated=" + langfuse.otlpValidated()
                    + " violations=" + (violations + otel.violations.get())
                    + (firstViolation.isEmpty() ? "" : "\nfirst violation: " + firstViolation) + "\n");
            Files.move(tmp, counts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
