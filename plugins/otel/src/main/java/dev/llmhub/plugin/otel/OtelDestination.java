package dev.llmhub.plugin.otel;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginMetrics;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends call records to an OTLP endpoint as GenAI spans and metrics (and, when content goes there, the
 * operation details events as OTLP logs): translation and one send per {@link #export} call. No
 * queue, no retry, no sending thread: the core's lane owns those.
 *
 * <p>The span export decides the result: when the collector did not take the spans the whole batch is
 * {@link ExportResult.Retryable} and the core sends it again with the same span ids. Events go out
 * after the spans were taken, each record's once (a log record has no id a backend could
 * deduplicate by); when they are refused the batch is retried and only the events still missing
 * are sent. Metrics are recorded once per record id and exported cumulatively alongside; a failed
 * metrics export is counted ({@code llmhub_plugin_metric_exports_failed_total}) and healed by the
 * next export, which carries the same totals.
 *
 * <p>The SDK's exporters and meter provider are built on a thread of their own, started by
 * {@link #create}: loading their classes (OkHttp, Kotlin, the metrics SDK) took 1.2-1.5 s of a start on
 * two busy cores, and plugin classes are not in the JDK's AOT cache (they have their own class
 * loader). The proxy serves meanwhile, the journal keeps the records, and the first export waits.
 * Everything a user can get wrong was checked by {@link OtelSettings#from} before.
 */
final class OtelDestination implements Destination {
    static final String SCOPE_NAME = "dev.llmhub.otel";

    private final OtelSettings settings;
    private final CompletableFuture<Sdk> sdk = new CompletableFuture<>();
    private final SpanTranslator translator;
    private final InstrumentationScopeInfo scope;
    private final RecentIds eventsSent = new RecentIds(RecentIds.RETRY_WINDOW);
    private final Resource baseResource;
    private final Map<String, Resource> resourcePerInstance = new ConcurrentHashMap<>();
    private final System.Logger logger;
    private final PluginMetrics.Counter metricExportsFailed;
    private final long joinMillis;

    private OtelDestination(OtelSettings settings, PluginContext context) {
        this.settings = settings;
        this.logger = context.logger();
        this.baseResource = resource(settings, context.proxyVersion());
        this.scope = InstrumentationScopeInfo.builder(SCOPE_NAME).setVersion(context.proxyVersion())
                .setSchemaUrl(GenAi.SCHEMA_URL).build();
        this.translator = new SpanTranslator(scope, this::resourceFor, context::toJson, settings.contentCapture());
        Thread builder = Thread.ofPlatform().daemon().name("llmhub-otel-sdk-start").unstarted(() -> {
            try {
                sdk.complete(new Sdk(OtlpExporters.create(settings), settings.exportMetrics()
                        ? Optional.of(new GenAiMetrics(baseResource, SCOPE_NAME, context.proxyVersion(), settings.estimatedTokenMetrics()))
                        : Optional.empty()));
            } catch (Throwable t) {
                sdk.completeExceptionally(t);
            }
        });
        builder.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        builder.start();
        this.metricExportsFailed = context.metrics().counter("metric_exports_failed",
                "OTLP metric exports that failed (the next export carries the same cumulative totals)");
        // The exporter enforces the timeout itself; the margin only guards against a sender that never answers.
        this.joinMillis = settings.timeout().toMillis() + 2_000;
    }

    /**
     * The SDK exporters log every failure themselves, at SEVERE with a stack trace. Here each failure is
     * already an {@link ExportResult} with its reason, which the core logs and counts once, so their
     * logger is silenced. Held strongly: JUL keeps only weak references to configured loggers.
     */
    private static final java.util.logging.Logger SDK_EXPORTER_LOGGER = quiet("io.opentelemetry.exporter");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(java.util.logging.Level.OFF);
        return l;
    }

    static OtelDestination create(PluginContext context) {
        OtelSettings settings = OtelSettings.from(context);
        OtelDestination d = new OtelDestination(settings, context);
        context.logger().log(System.Logger.Level.INFO, "OTLP destination ready: " + settings);
        return d;
    }

    @Override
    public ExportResult export(List<CallRecord> batch) {
        try {
            return send(batch);
        } finally {
            CallerThreadCleanup.run();
        }
    }

    /** The parts of the SDK that take long to load. */
    private record Sdk(OtlpExporters exporters, Optional<GenAiMetrics> metrics) {
        void close() {
            metrics.ifPresent(GenAiMetrics::close);
            exporters.close();
        }
    }

    private ExportResult send(List<CallRecord> batch) {
        Sdk started;
        try {
            started = sdk.get(joinMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExportResult.retryable("interrupted while the OpenTelemetry SDK was starting");
        } catch (TimeoutException e) {
            return ExportResult.retryable("the OpenTelemetry SDK is still starting");
        } catch (ExecutionException e) {
            return ExportResult.retryable("the OpenTelemetry SDK did not start: " + e.getCause());
        }
        OtlpExporters exporters = started.exporters();
        Optional<GenAiMetrics> metrics = started.metrics();
        List<SpanData> spans = new ArrayList<>(batch.size() * 2);
        for (CallRecord r : batch) {
            spans.addAll(translator.spans(r));
        }
        Optional<CompletableResultCode> metricsSent = metrics.map(m -> {
            m.record(batch);
            Collection<MetricData> data = m.collect();
            return data.isEmpty() ? CompletableResultCode.ofSuccess() : exporters.metrics().orElseThrow().export(data);
        });
        CompletableResultCode spansSent = exporters.spans().export(spans).join(joinMillis, TimeUnit.MILLISECONDS);
        if (!spansSent.isSuccess()) {
            return ExportFailure.of("spans", spansSent, settings.endpoint(), settings.headers().values());
        }
        if (exporters.logs().isPresent()) {
            List<CallRecord> pending = batch.stream().filter(r -> !eventsSent.contains(r.id())).toList();
            List<LogRecordData> events = new ArrayList<>();
            for (CallRecord r : pending) {
                OperationDetailsEvent.of(r, translator.operationContext(r), scope, resourceFor(r)).ifPresent(events::add);
            }
            if (!events.isEmpty()) {
                CompletableResultCode sent = exporters.logs().get().export(events).join(joinMillis, TimeUnit.MILLISECONDS);
                if (!sent.isSuccess()) {
                    return ExportFailure.of("events", sent, settings.endpoint(), settings.headers().values());
                }
            }
            pending.forEach(r -> eventsSent.firstTime(r.id()));
        }
        metricsSent.ifPresent(m -> {
            if (!m.join(joinMillis, TimeUnit.MILLISECONDS).isSuccess()) {
                metricExportsFailed.increment();
                ExportResult why = ExportFailure.of("metrics", m, settings.endpoint(), settings.headers().values());
                logger.log(System.Logger.Level.WARNING, ExportFailure.reason(why) + "; the next export carries the same totals");
            }
        });
        return ExportResult.success();
    }

    private Resource resourceFor(CallRecord r) {
        return resourcePerInstance.computeIfAbsent(r.proxy().instance(), instance -> baseResource.merge(
                Resource.create(Attributes.of(io.opentelemetry.api.common.AttributeKey.stringKey("service.instance.id"), instance))));
    }

    private static Resource resource(OtelSettings s, String proxyVersion) {
        AttributesBuilder b = Attributes.builder();
        b.put("service.version", proxyVersion);
        s.resourceAttributes().forEach(b::put);
        // OTEL_SERVICE_NAME wins over a service.name inside OTEL_RESOURCE_ATTRIBUTES, as the SDK spec says;
        // only the default yields to it.
        if (!s.serviceName().equals(OtelSettings.DEFAULT_SERVICE_NAME) || !s.resourceAttributes().containsKey("service.name")) {
            b.put("service.name", s.serviceName());
        }
        return Resource.getDefault().merge(Resource.create(b.build()));
    }

    @Override
    public void close() {
        try {
            sdk.get().close(); // waits for a start still under way, so nothing it builds is left running
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sdk.thenAccept(Sdk::close);
        } catch (ExecutionException e) {
            // nothing was built
        }
    }
}
