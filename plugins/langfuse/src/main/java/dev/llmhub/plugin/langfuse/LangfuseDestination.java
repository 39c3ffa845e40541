package dev.llmhub.plugin.langfuse;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.plugin.kit.OnceLogger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ships call records to Langfuse: each record becomes one generation in a trace. Translation and
 * transport only: requests under a size limit per batch, no threads, queues or retries — the core's
 * lane does those with the result returned here.
 */
public final class LangfuseDestination implements Destination {
    private final LangfuseSettings settings;
    private final GenerationMapper mapper;
    private final LangfuseHttp http;
    private final BatchSender sender;
    private final Wire<?> wire;

    LangfuseDestination(LangfuseSettings settings, System.Logger logger, String proxyVersion) {
        this.settings = settings;
        this.mapper = new GenerationMapper(settings);
        this.http = new LangfuseHttp(settings, proxyVersion);
        OnceLogger once = new OnceLogger(logger);
        this.sender = new BatchSender(http, new AnswerMapper(once, settings.host()),
                new RequestLimit(settings.maxRequestBytes(), logger, settings.host()));
        this.wire = switch (settings.api()) {
            case OTEL -> new OtelExport(new OtlpEncoder(proxyVersion), settings.gzip());
            case INGESTION -> new IngestionExport(new IngestionEncoder(), once, settings.host());
        };
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
        return sender.send(wire, generations, unmappable);
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
