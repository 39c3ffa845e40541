package dev.llmhub.plugin.otel;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.ExemplarFilter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Collection;
import java.util.List;

/**
 * The GenAI client metrics ({@code metrics.yaml}, v1.41.1) with the spec's units and advised bucket
 * boundaries, recorded once per GenAI operation into an SDK meter provider that has no thread of its
 * own. Calls refused before any upstream try are no GenAI operation and are not counted.
 */
final class GenAiMetrics implements AutoCloseable {
    static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
    static final String TIME_PER_OUTPUT_CHUNK = "gen_ai.client.operation.time_per_output_chunk";

    static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L,
            262144L, 1048576L, 4194304L, 16777216L, 67108864L);
    static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
            5.12, 10.24, 20.48, 40.96, 81.92);

    private final SdkMeterProvider provider;
    private final ManualMetricReader reader = new ManualMetricReader();
    private final RecentIds recorded = new RecentIds(RecentIds.RETRY_WINDOW);
    private final LongHistogram tokenUsage;
    private final DoubleHistogram duration;
    private final DoubleHistogram timeToFirstChunk;
    private final DoubleHistogram timePerOutputChunk;
    private final boolean estimatedTokens;

    GenAiMetrics(Resource resource, String scopeName, String scopeVersion, boolean estimatedTokens) {
        this.estimatedTokens = estimatedTokens;
        this.provider = SdkMeterProvider.builder()
                .setResource(resource)
                .setExemplarFilter(ExemplarFilter.alwaysOff())
                .registerMetricReader(reader)
                .build();
        Meter meter = provider.meterBuilder(scopeName).setInstrumentationVersion(scopeVersion)
                .setSchemaUrl(GenAi.SCHEMA_URL).build();
        tokenUsage = meter.histogramBuilder(TOKEN_USAGE).ofLongs()
                .setDescription("Number of input and output tokens used.")
                .setUnit("{token}")
                .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
                .build();
        duration = meter.histogramBuilder(OPERATION_DURATION)
                .setDescription("GenAI operation duration.")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
        timeToFirstChunk = meter.histogramBuilder(TIME_TO_FIRST_CHUNK)
                .setDescription("Time to receive the first chunk of a streamed response.")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
        timePerOutputChunk = meter.histogramBuilder(TIME_PER_OUTPUT_CHUNK)
                .setDescription("Time per output chunk after the first one, in a streamed response.")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
    }

    /** Records the batch's calls, skipping any whose metrics were already recorded by an earlier try. */
    void record(List<CallRecord> batch) {
        for (CallRecord r : batch) {
            if (recorded.firstTime(r.id())) {
                GenAiOperation.of(r).ifPresent(this::record);
            }
        }
    }

    /** @return the cumulative metrics to export */
    Collection<MetricData> collect() {
        return reader.collect();
    }

    private void record(GenAiOperation op) {
        CallRecord r = op.record();
        AttributesBuilder base = Attributes.builder()
                .put(GenAi.OPERATION_NAME, op.operationName())
                .put(GenAi.PROVIDER_NAME, op.providerName());
        op.requestModel().ifPresent(m -> base.put(GenAi.REQUEST_MODEL, m));
        r.responseModel().ifPresent(m -> base.put(GenAi.RESPONSE_MODEL, m));
        op.server().ifPresent(s -> s.putInto(base));
        Attributes common = base.build();
        // OpenAI's service tier and fingerprint are recommended on these two metrics (metric_attributes.openai).
        Attributes withOpenAi = common;
        if (GenAi.isOpenAi(r.provider()) && r.response().isPresent()) {
            AttributesBuilder b = common.toBuilder();
            r.response().get().serviceTier().ifPresent(t -> b.put(GenAi.OPENAI_RESPONSE_SERVICE_TIER, t));
            r.response().get().systemFingerprint().ifPresent(f -> b.put(GenAi.OPENAI_RESPONSE_SYSTEM_FINGERPRINT, f));
            withOpenAi = b.build();
        }

        Attributes durationAttrs = r.error().isPresent()
                ? withOpenAi.toBuilder().put(GenAi.ERROR_TYPE, r.error().get().type()).build() : withOpenAi;
        duration.record(op.seconds(), durationAttrs);

        Usage u = r.usage();
        if (u.source() == Usage.Source.PROVIDER || estimatedTokens && r.status() == CallStatus.SUCCESS) {
            if (u.promptTokens() > 0) {
                tokenUsage.record(u.promptTokens(), withOpenAi.toBuilder().put(GenAi.TOKEN_TYPE, "input").build());
            }
            if (u.completionTokens() > 0 && op.inference()) {
                tokenUsage.record(u.completionTokens(), withOpenAi.toBuilder().put(GenAi.TOKEN_TYPE, "output").build());
            }
        }
        op.timeToFirstChunk().ifPresent(s -> timeToFirstChunk.record(s, common));
        op.timePerOutputChunk().ifPresent(g -> {
            for (int i = 0; i < g.count(); i++) {
                timePerOutputChunk.record(g.seconds(), common);
            }
        });
    }

    @Override
    public void close() {
        provider.close();
    }
}
