package dev.llmhub.plugin.otel;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The SDK's OTLP span, metric and log exporters for the configured endpoint and protocol; the log
 * exporter only when content goes into the operation details event.
 *
 * <p>Their own retry is switched off ({@code setRetryPolicy(null)}): the core's lane retries with
 * backoff and counts every try, and a second retry loop inside would hide failures and multiply the
 * wait. Their self-monitoring meter is the no-op one, so nothing global is touched.
 *
 * <p>Spans and events are marshaled in {@link MemoryMode#REUSABLE_DATA}: the exporter writes them
 * through pooled low-allocation marshalers (safe with the lane's concurrent exports: the pool is a
 * concurrent deque) instead of building one marshaler object per span, attribute and value — a third of
 * the lane's CPU and most of its garbage before. It only asks that the data stay unchanged until the
 * export completes, which spans translated for each export do. Metrics stay in
 * {@link MemoryMode#IMMUTABLE_DATA}: a few dozen points per export, nothing worth the change.
 *
 */
record OtlpExporters(SpanExporter spans, Optional<MetricExporter> metrics, Optional<LogRecordExporter> logs)
        implements AutoCloseable {

    static OtlpExporters create(OtelSettings s) {
        String base = s.endpoint().toString();
        boolean logs = s.contentCapture().inEvent();
        return switch (s.protocol()) {
            case GRPC -> new OtlpExporters(grpcSpans(s, base),
                    s.exportMetrics() ? Optional.of(grpcMetrics(s, base)) : Optional.empty(),
                    logs ? Optional.of(grpcLogs(s, base)) : Optional.empty());
            case HTTP_PROTOBUF -> new OtlpExporters(httpSpans(s, base + "/v1/traces"),
                    s.exportMetrics() ? Optional.of(httpMetrics(s, base + "/v1/metrics")) : Optional.empty(),
                    logs ? Optional.of(httpLogs(s, base + "/v1/logs")) : Optional.empty());
        };
    }

    private static SpanExporter grpcSpans(OtelSettings s, String endpoint) {
        OtlpGrpcSpanExporterBuilder b = OtlpGrpcSpanExporter.builder().setMemoryMode(MemoryMode.REUSABLE_DATA);
        configure(s, endpoint, b::setEndpoint, b::setTimeout, b::setCompression, b::setRetryPolicy,
                b::setMeterProvider, b::addHeader, b::setTrustedCertificates);
        return b.build();
    }

    private static MetricExporter grpcMetrics(OtelSettings s, String endpoint) {
        OtlpGrpcMetricExporterBuilder b = OtlpGrpcMetricExporter.builder().setMemoryMode(MemoryMode.IMMUTABLE_DATA)
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative());
        configure(s, endpoint, b::setEndpoint, b::setTimeout, b::setCompression, b::setRetryPolicy,
                b::setMeterProvider, b::addHeader, b::setTrustedCertificates);
        return b.build();
    }

    private static LogRecordExporter grpcLogs(OtelSettings s, String endpoint) {
        OtlpGrpcLogRecordExporterBuilder b = OtlpGrpcLogRecordExporter.builder().setMemoryMode(MemoryMode.REUSABLE_DATA);
        configure(s, endpoint, b::setEndpoint, b::setTimeout, b::setCompression, b::setRetryPolicy,
                b::setMeterProvider, b::addHeader, b::setTrustedCertificates);
        return b.build();
    }

    private static SpanExporter httpSpans(OtelSettings s, String endpoint) {
        OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder().setMemoryMode(MemoryMode.REUSABLE_DATA);
        configure(s, endpoint, b::setEndpoint, b::setTimeout, b::setCompression, b::setRetryPolicy,
                b::setMeterProvider, b::addHeader, b::setTrustedCertificates);
        return b.build();
    }

    private static MetricExporter httpMetrics(OtelSettings s, String endpoint) {
        OtlpHttpMetricExporterBuilder b = OtlpHttpMetricExporter.builder().setMemoryMode(MemoryMode.IMMUTABLE_DATA)
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative());
        configure(s, endpoint, b::setEndpoint, b::setTimeout, b::setCompression, b::setRetryPolicy,
                b::setMeterProvider, b::addHeader, b::setTrustedCertificates);
        return b.build();
    }

    private static LogRecordExporter httpLogs(OtelSettings s, String endpoint) {
        OtlpHttpLogRecordExporterBuilder b = OtlpHttpLogRecordExporter.builder().setMemoryMode(MemoryMode.REUSABLE_DATA);
        configure(s, endpoint, b::setEndpoint, b::setTimeout, b::setCompression, b::setRetryPolicy,
                b::setMeterProvider, b::addHeader, b::setTrustedCertificates);
        return b.build();
    }

    /**
     * What every exporter gets from the settings, through one builder's setters: the SDK's six builders
     * have them all but share no public type, so they come as method references (as the SDK's own
     * autoconfigure module passes them).
     */
    private static void configure(OtelSettings s, String endpoint, Consumer<String> setEndpoint,
                                  Consumer<Duration> setTimeout, Consumer<String> setCompression,
                                  Consumer<RetryPolicy> setRetryPolicy, Consumer<Supplier<MeterProvider>> setMeterProvider,
                                  BiConsumer<String, String> addHeader, Consumer<byte[]> setTrustedCertificates) {
        setEndpoint.accept(endpoint);
        setTimeout.accept(s.timeout());
        setCompression.accept(s.compression());
        setRetryPolicy.accept(null); // the core's lane retries (see above)
        setMeterProvider.accept(MeterProvider::noop);
        s.headers().forEach(addHeader);
        s.trustedCertificatesPem().ifPresent(setTrustedCertificates);
    }

    /** Shuts the exporters down (their HTTP clients and dispatcher threads) and waits a bounded time. */
    @Override
    public void close() {
        CompletableResultCode a = spans.shutdown();
        CompletableResultCode b = metrics.map(MetricExporter::shutdown).orElseGet(CompletableResultCode::ofSuccess);
        CompletableResultCode c = logs.map(LogRecordExporter::shutdown).orElseGet(CompletableResultCode::ofSuccess);
        CompletableResultCode.ofAll(List.of(a, b, c)).join(10, TimeUnit.SECONDS);
    }
}
