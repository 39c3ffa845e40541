package dev.llmhub.e2e;

import dev.llmhub.plugin.otel.Otlp;
import dev.llmhub.plugin.otel.OtlpReceiver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What an OTLP receiver got, read the way a person checking a backend would: spans by trace and
 * role, histogram points by metric name, and a byte-level search of every export for a secret.
 */
final class OtlpFindings {
    private OtlpFindings() {
    }

    /** @return the spans of one trace (any number of exports, duplicates kept) */
    static List<Span> trace(OtlpReceiver receiver, String traceIdHex) {
        return receiver.spans().stream().filter(s -> Otlp.hex(s.getTraceId()).equals(traceIdHex)).toList();
    }

    /** @return the proxy's own HTTP server span of a trace */
    static Span server(List<Span> spans) {
        return spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst()
                .orElseThrow(() -> new AssertionError("no SERVER span in " + names(spans)));
    }

    /** @return the GenAI span (the CLIENT span with {@code gen_ai.operation.name}) of a trace */
    static Span operation(List<Span> spans) {
        List<Span> found = spans.stream().filter(OtlpFindings::isOperation).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " GenAI spans in " + names(spans));
        }
        return found.get(0);
    }

    /** @return the HTTP client spans of the upstream tries, in try order */
    static List<Span> tries(List<Span> spans) {
        return spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT && !isOperation(s))
                .sorted(Comparator.comparingLong(Span::getStartTimeUnixNano)).toList();
    }

    static boolean isOperation(Span s) {
        return s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT && Otlp.attributes(s).containsKey("gen_ai.operation.name");
    }

    private static List<String> names(List<Span> spans) {
        return spans.stream().map(s -> s.getKind() + " " + s.getName()).toList();
    }

    /** @return every histogram point of the named metric received so far */
    static List<HistogramDataPoint> histogramPoints(OtlpReceiver receiver, String name) {
        List<HistogramDataPoint> out = new ArrayList<>();
        for (Metric m : receiver.metrics()) {
            if (m.getName().equals(name) && m.hasHistogram()) {
                out.addAll(m.getHistogram().getDataPointsList());
            }
        }
        return out;
    }

    /** @return the unit the named metric was sent with, or empty when it never arrived */
    static Optional<String> unit(OtlpReceiver receiver, String name) {
        return receiver.metrics().stream().filter(m -> m.getName().equals(name)).map(Metric::getUnit).findFirst();
    }

    /** @return a string attribute of a data point, or "" */
    static String attribute(HistogramDataPoint point, String key) {
        return point.getAttributesList().stream().filter(kv -> kv.getKey().equals(key))
                .map(kv -> kv.getValue().getStringValue()).findFirst().orElse("");
    }

    /**
     * Searches the wire bytes and the text form of every trace, metric and log export for each secret,
     * so a secret in any span, event, attribute, resource or metric attribute is found.
     *
     * @return a description of the first secret found, or empty
     */
    static Optional<String> secretIn(OtlpReceiver receiver, String... secrets) {
        List<com.google.protobuf.Message> exports = new ArrayList<>();
        for (ExportTraceServiceRequest r : receiver.traceRequests) {
            exports.add(r);
        }
        for (ExportMetricsServiceRequest r : receiver.metricRequests) {
            exports.add(r);
        }
        for (ExportLogsServiceRequest r : receiver.logRequests) {
            exports.add(r);
        }
        for (com.google.protobuf.Message export : exports) {
            byte[] wire = export.toByteArray();
            String text = export.toString();
            for (String secret : secrets) {
                if (contains(wire, secret.getBytes(StandardCharsets.UTF_8)) || text.contains(secret)) {
                    return Optional.of("'" + secret + "' in an export:\n" + text);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Reads one {@code llmhub_destination_records_total} counter from a Prometheus scrape.
     *
     * @return its value, 0 when the line is absent
     */
    static double recordsTotal(String scrape, String destination, String outcome) {
        return Math.max(0, new PrometheusScrape(scrape).value("llmhub_destination_records_total",
                "destination", destination, "outcome", outcome));
    }
}
