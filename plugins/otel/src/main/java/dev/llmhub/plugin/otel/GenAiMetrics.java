package dev.llmhub.plugin.otel;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.Usage;
import dev.llmhub.plugin.kit.BoundedMemo;
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
import java.util.Objects;

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
    private final BoundedMemo<AttributeSource, MetricAttributes> attributes = new BoundedMemo<>(1024, MetricAttributes::of);

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
        boolean openAi = GenAi.isOpenAi(r.provider()) && r.response().isPresent();
        MetricAttributes a = attributes.get(new AttributeSource(op.operationName(), op.providerName(),
                op.requestModel().orElse(null), r.responseModel().orElse(null), op.server().orElse(null),
                openAi ? r.response().get().serviceTier().orElse(null) : null,
                openAi ? r.response().get().systemFingerprint().orElse(null) : null,
                r.error().map(e -> e.type()).orElse(null)));
        duration.record(op.seconds(), a.duration());

        Usage u = r.usage();
        if (u.source() == Usage.Source.PROVIDER || estimatedTokens && r.status() == CallStatus.SUCCESS) {
            if (u.promptTokens() > 0) {
                tokenUsage.record(u.promptTokens(), a.input());
            }
            if (u.completionTokens() > 0 && op.inference()) {
                tokenUsage.record(u.completionTokens(), a.output());
            }
        }
        op.timeToFirstChunk().ifPresent(s -> timeToFirstChunk.record(s, a.common()));
        op.timePerOutputChunk().ifPresent(g -> {
            for (int i = 0; i < g.count(); i++) {
                timePerOutputChunk.record(g.seconds(), a.common());
            }
        });
    }

    /**
     * What a call's metric attributes are made of (null: absent). Calls repeat a few of them (one per
     * model, upstream and error type), so each one's attributes are built and sorted once, and the
     * SDK then finds its series by an attributes instance whose hash it has already computed.
     */
    private record AttributeSource(String operation, String provider, String requestModel, String responseModel,
                                   GenAi.Server server, String openAiServiceTier, String openAiFingerprint,
                                   String errorType) {
        // Written out: a record's generated equals and hashCode are bootstrapped through java.lang.invoke,
        // which kept the plugin's class loader reachable after an unload (OtelPluginZipIT).
        @Override
        public boolean equals(Object o) {
            return o instanceof AttributeSource s && operation.equals(s.operation) && provider.equals(s.provider)
                    && Objects.equals(requestModel, s.requestModel) && Objects.equals(responseModel, s.responseModel)
                    && sameServer(server, s.server) && Objects.equals(openAiServiceTier, s.openAiServiceTier)
                    && Objects.equals(openAiFingerprint, s.openAiFingerprint) && Objects.equals(errorType, s.errorType);
        }

        @Override
        public int hashCode() {
            int h = operation.hashCode() * 31 + provider.hashCode();
            h = h * 31 + Objects.hashCode(requestModel);
            h = h * 31 + Objects.hashCode(responseModel);
            h = h * 31 + (server == null ? 0 : server.address().hashCode() * 31 + Long.hashCode(server.port()));
            h = h * 31 + Objects.hashCode(openAiServiceTier);
            h = h * 31 + Objects.hashCode(openAiFingerprint);
            return h * 31 + Objects.hashCode(errorType);
        }

        private static boolean sameServer(GenAi.Server a, GenAi.Server b) {
            return a == null ? b == null : b != null && a.address().equals(b.address()) && a.port() == b.port();
        }
    }

    /** The attributes of each metric: {@code common} for the chunk timings, the others with more. */
    private record MetricAttributes(Attributes common, Attributes duration, Attributes input, Attributes output) {

        static MetricAttributes of(AttributeSource s) {
            AttributesBuilder base = Attributes.builder()
                    .put(GenAi.OPERATION_NAME, s.operation())
                    .put(GenAi.PROVIDER_NAME, s.provider());
            if (s.requestModel() != null) {
                base.put(GenAi.REQUEST_MODEL, s.requestModel());
            }
            if (s.responseModel() != null) {
                base.put(GenAi.RESPONSE_MODEL, s.responseModel());
            }
            if (s.server() != null) {
                s.server().putInto(base);
            }
            Attributes common = base.build();
            // OpenAI's service tier and fingerprint are recommended on these two metrics (metric_attributes.openai).
            AttributesBuilder openAi = common.toBuilder();
            if (s.openAiServiceTier() != null) {
                openAi.put(GenAi.OPENAI_RESPONSE_SERVICE_TIER, s.openAiServiceTier());
            }
            if (s.openAiFingerprint() != null) {
                openAi.put(GenAi.OPENAI_RESPONSE_SYSTEM_FINGERPRINT, s.openAiFingerprint());
            }
            Attributes withOpenAi = openAi.build();
            Attributes duration = s.errorType() == null ? withOpenAi
                    : withOpenAi.toBuilder().put(GenAi.ERROR_TYPE, s.errorType()).build();
            return new MetricAttributes(common, duration,
                    withOpenAi.toBuilder().put(GenAi.TOKEN_TYPE, "input").build(),
                    withOpenAi.toBuilder().put(GenAi.TOKEN_TYPE, "output").build());
        }
    }

    @Override
    public void close() {
        provider.close();
    }
}
