package dev.llmhub.plugin.otel;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;
import java.util.List;

/**
 * A metric reader collected on demand inside {@code export}, instead of the SDK's periodic reader and
 * its thread: the core's lane decides when exports happen.
 *
 * <p>Cumulative temporality on purpose: every collection carries the totals since start, so a metrics
 * export that fails loses nothing (the next one carries the same counts), and one that is repeated
 * counts nothing twice.
 */
final class ManualMetricReader implements MetricReader {
    private volatile CollectionRegistration registration = CollectionRegistration.noop();

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    /** @return every metric recorded so far, cumulative */
    Collection<MetricData> collect() {
        return List.copyOf(registration.collectAllMetrics());
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        registration = CollectionRegistration.noop();
        return CompletableResultCode.ofSuccess();
    }
}
