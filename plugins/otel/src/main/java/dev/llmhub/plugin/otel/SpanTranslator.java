package dev.llmhub.plugin.otel;

import dev.llmhub.api.CallRecord;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns one call record into its span tree:
 * <pre>
 * SERVER  POST /v1/chat/completions   the proxy's request; id = record.spanId, parent = the caller's traceparent
 *   CLIENT  chat gpt-4o               the GenAI operation, first try's start to the answer's end
 *     CLIENT  POST                    one HTTP span per upstream try over the network
 *     CLIENT  POST                    (a retry: http.request.resend_count = 1)
 * </pre>
 * A call refused before any upstream try has only the server span. Ids other than the record's own
 * are derived from the record id ({@link DerivedIds}), so a retried export sends the very same spans.
 */
final class SpanTranslator {
    private final InstrumentationScopeInfo scope;
    private final Function<CallRecord, Resource> resources;
    private final Function<Object, String> json;
    private final ContentCapture capture;

    SpanTranslator(InstrumentationScopeInfo scope, Function<CallRecord, Resource> resources,
                   Function<Object, String> json, ContentCapture capture) {
        this.scope = scope;
        this.resources = resources;
        this.json = json;
        this.capture = capture;
    }

    /** @return the record's spans: server, then the GenAI span and its tries when there was an operation */
    List<SpanData> spans(CallRecord r) {
        Resource resource = resources.apply(r);
        String traceId = traceId(r);
        String serverId = SpanId.isValid(r.spanId()) ? r.spanId() : DerivedIds.spanId(r.id(), "server");
        SpanContext parent = r.parentSpanId().filter(SpanId::isValid)
                .map(p -> SpanContext.createFromRemoteParent(traceId, p, TraceFlags.getSampled(), TraceState.getDefault()))
                .orElse(SpanContext.getInvalid());
        SpanContext server = context(traceId, serverId);

        List<SpanData> out = new ArrayList<>();
        out.add(new RecordSpan(ServerSpan.name(r), SpanKind.SERVER, server, parent, ServerSpan.spanStatus(r),
                GenAiOperation.nanos(r.startTime()), GenAiOperation.nanos(r.endTime()), ServerSpan.attributes(r),
                ServerSpan.events(r, json), scope, resource));

        Optional<GenAiOperation> operation = GenAiOperation.of(r);
        if (operation.isEmpty()) {
            return out;
        }
        GenAiOperation op = operation.get();
        SpanContext client = operationContext(r);
        out.add(new RecordSpan(op.spanName(), SpanKind.CLIENT, client, server, status(r), GenAiOperation.nanos(op.start()),
                GenAiOperation.nanos(op.end()), operationAttributes(op), List.of(), scope, resource));
        for (int i = 0; i < r.attempts().size(); i++) {
            TrySpan t = new TrySpan(r, i);
            if (t.exists()) {
                out.add(new RecordSpan(t.name(), SpanKind.CLIENT, context(traceId, DerivedIds.spanId(r.id(), "attempt-" + i)),
                        client, t.status(), GenAiOperation.nanos(t.attempt().startTime()), GenAiOperation.nanos(t.end()),
                        t.attributes(), List.of(), scope, resource));
            }
        }
        return out;
    }

    /** @return the GenAI span's context, which the operation details event refers to */
    SpanContext operationContext(CallRecord r) {
        return context(traceId(r), DerivedIds.spanId(r.id(), "client"));
    }

    private Attributes operationAttributes(GenAiOperation op) {
        CallRecord r = op.record();
        AttributesBuilder b = OperationAttributes.span(op);
        if (capture.onSpan() && op.inference()) {
            OperationContent.of(r).forEach((key, tree) -> b.put(key, json.apply(tree)));
        }
        r.deployment().ifPresent(v -> b.put(RecordAttributes.DEPLOYMENT, v));
        b.put(RecordAttributes.MODEL_GROUP, r.modelGroup());
        b.put(RecordAttributes.ATTEMPT_COUNT, (long) r.attempts().size());
        b.put(RecordAttributes.USAGE_SOURCE, r.usage().source().wireName());
        r.cost().ifPresent(c -> {
            b.put(RecordAttributes.COST_TOTAL, c.total());
            b.put(RecordAttributes.COST_INPUT, c.input());
            b.put(RecordAttributes.COST_OUTPUT, c.output());
            b.put(RecordAttributes.COST_CURRENCY, c.currency());
        });
        RecordAttributes.putInto(r, b);
        return b.build();
    }

    private static StatusData status(CallRecord r) {
        return r.error().map(e -> StatusData.create(StatusCode.ERROR, ServerSpan.describe(e))).orElse(StatusData.unset());
    }

    private static String traceId(CallRecord r) {
        return TraceId.isValid(r.traceId()) ? r.traceId() : DerivedIds.traceId(r.id());
    }

    private static SpanContext context(String traceId, String spanId) {
        return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
    }
}
