package dev.llmhub.plugin.langfuse;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ships call records to Langfuse: each record becomes one trace with one generation. Translation and
 * transport only: one request per batch (several for a large batch in ingestion mode), no threads,
 * queues or retries — the core's lane does those with the result returned here.
 */
public final class LangfuseDestination implements Destination {
    private final LangfuseSettings settings;
    private final GenerationMapper mapper;
    private final LangfuseHttp http;
    private final OtelExport otel;
    private final IngestionExport ingestion;

    LangfuseDestination(LangfuseSettings settings, System.Logger logger, String proxyVersion) {
        this.settings = settings;
        this.mapper = new GenerationMapper(settings);
        this.http = new LangfuseHttp(settings, proxyVersion);
        AnswerMapper answers = new AnswerMapper(logger, settings.host());
        this.otel = new OtelExport(http, new OtlpEncoder(proxyVersion), answers);
        this.ingestion = new IngestionExport(http, new IngestionEncoder(), answers, logger,
                IngestionExport.MAX_BATCH_BYTES);
    }

    @Override
    public ExportResult export(List<CallRecord> batch) {
        List<Generation> generations = new ArrayList<>(batch.size());
        Map<String, ExportResult> unmappable = new LinkedHashMap<>();
        for (CallRecord r : batch) {
            try {
                generations.add(mapper.map(r));
            } catch (RuntimeException e) {
                // One odd record must not hold back the others; retrying cannot change it.
                unmappable.put(r.id(), ExportResult.permanent("cannot translate the record for Langfuse: " + e));
            }
        }
        if (generations.isEmpty()) {
            return ExportResult.partial(unmappable);
        }
        return switch (settings.api()) {
            case OTEL -> withUnmappable(otel.send(generations), generations, unmappable);
            case INGESTION -> ingestion.send(generations, unmappable);
        };
    }

    private static ExportResult withUnmappable(ExportResult result, List<Generation> sent,
                                               Map<String, ExportResult> unmappable) {
        if (unmappable.isEmpty()) {
            return result;
        }
        Map<String, ExportResult> failures = new LinkedHashMap<>(unmappable);
        if (!(result instanceof ExportResult.Success)) {
            sent.forEach(g -> failures.put(g.recordId(), result));
        }
        return ExportResult.partial(failures);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "LangfuseDestination[" + settings + "]";
    }
}
