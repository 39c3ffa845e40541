package dev.llmhub.plugin.otel;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The SDK's OTLP span, metric and log exporters for the configured endpoint and protocol; the log
 * exporter only when content goes into the operation details event.
 *
 * <p>Their own retry is switched off ({@code setRetryPolicy(null)}): the core's lane retries with
 * backoff and counts every try, and a second retry loop inside would hide failures and multiply the
 * wait. Their self-monitoring meter is the no-op one, so nothing global is touched.
 *
 * <p>The six SDK builders (three signals, two protocols) have the same setters but no public type in
 * common (only the SDK's internal {@code GrpcExporterBuilder} and {@code HttpExporterBuilder}), so
 * {@link #configured} calls them by name, once for all six: their names and parameter types are the
 * SDK's stable public API, and every combination is built by the tests.
 */
record OtlpExporters(SpanExporter spans, Optional<MetricExporter> metrics, Optional<LogRecordExporter> logs)
        implements AutoCloseable {

    static OtlpExporters create(OtelSettings s) {
        String base = s.endpoint().toString();
        boolean logs = s.contentCapture().inEvent();
        return switch (s.protocol()) {
            case GRPC -> new OtlpExporters(
                    configured(OtlpGrpcSpanExporter.builder(), s, base).build(),
                    s.exportMetrics() ? Optional.of(configured(cumulative(OtlpGrpcMetricExporter.builder()), s, base).build())
                            : Optional.empty(),
                    logs ? Optional.of(configured(OtlpGrpcLogRecordExporter.builder(), s, base).build()) : Optional.empty());
            case HTTP_PROTOBUF -> new OtlpExporters(
                    configured(OtlpHttpSpanExporter.builder(), s, base + "/v1/traces").build(),
                    s.exportMetrics()
                            ? Optional.of(configured(cumulative(OtlpHttpMetricExporter.builder()), s, base + "/v1/metrics").build())
                            : Optional.empty(),
                    logs ? Optional.of(configured(OtlpHttpLogRecordExporter.builder(), s, base + "/v1/logs").build())
                            : Optional.empty());
        };
    }

    private static OtlpGrpcMetricExporterBuilder cumulative(OtlpGrpcMetricExporterBuilder b) {
        return b.setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative());
    }

    private static OtlpHttpMetricExporterBuilder cumulative(OtlpHttpMetricExporterBuilder b) {
        return b.setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative());
    }

    /**
     * Applies the settings every exporter shares: endpoint, timeout, compression, headers, trusted
     * certificates; no retry of its own; the no-op self-monitoring meter; immutable data (the
     * exporters run on the lane's thread and may keep what they are given).
     *
     * @param builder one of the six SDK exporter builders
     * @return the same builder
     */
    private static <B> B configured(B builder, OtelSettings s, String endpoint) {
        set(builder, "setEndpoint", String.class, endpoint);
        set(builder, "setTimeout", Duration.class, s.timeout());
        set(builder, "setCompression", String.class, s.compression());
        set(builder, "setRetryPolicy", RetryPolicy.class, null);
        set(builder, "setMeterProvider", Supplier.class, (Supplier<MeterProvider>) MeterProvider::noop);
        set(builder, "setMemoryMode", MemoryMode.class, MemoryMode.IMMUTABLE_DATA);
        s.headers().forEach((name, value) -> invoke(builder, "addHeader", new Class<?>[] {String.class, String.class}, name, value));
        s.trustedCertificatesPem().ifPresent(pem -> set(builder, "setTrustedCertificates", byte[].class, pem));
        return builder;
    }

    private static void set(Object builder, String setter, Class<?> type, Object value) {
        invoke(builder, setter, new Class<?>[] {type}, value);
    }

    private static void invoke(Object builder, String method, Class<?>[] types, Object... args) {
        try {
            builder.getClass().getMethod(method, types).invoke(builder, args);
        } catch (InvocationTargetException e) {
            // The setter refused the value (a malformed endpoint, say): rethrown as the setter threw it.
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this OpenTelemetry SDK's " + builder.getClass().getSimpleName()
                    + " has no " + method + ": the otel plugin was built against another version", e);
        }
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
