package dev.llmhub.plugin.otel;

import dev.llmhub.api.CallRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Optional;

/**
 * The conventions' {@code gen_ai.client.inference.operation.details} event for an inference: an OTLP
 * log record in the GenAI span's context carrying the inference attributes, with the content in
 * structured form as events require. Sent when content capture includes events (span events are
 * on their way out, and some backends store these apart from traces).
 *
 * @param context    the GenAI span's context
 * @param attributes the inference attributes and its content
 * @param epochNanos when the operation ended
 */
record OperationDetailsEvent(SpanContext context, Attributes attributes, long epochNanos,
                             InstrumentationScopeInfo scope, Resource resource) implements LogRecordData {

    /** @return the event, for an inference call that had a GenAI operation */
    static Optional<LogRecordData> of(CallRecord r, SpanContext context, InstrumentationScopeInfo scope, Resource resource) {
        return GenAiOperation.of(r).filter(GenAiOperation::inference).map(op -> {
            AttributesBuilder b = OperationAttributes.event(op);
            OperationContent.of(r).forEach((key, tree) -> b.put(AttributeKey.valueKey(key), JsonValues.of(tree)));
            b.put(RecordAttributes.CALL_ID, r.id());
            return new OperationDetailsEvent(context, b.build(), GenAiOperation.nanos(op.end()), scope, resource);
        });
    }

    @Override
    public String getEventName() {
        return GenAi.OPERATION_DETAILS_EVENT;
    }

    @Override
    public Resource getResource() {
        return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return scope;
    }

    @Override
    public long getTimestampEpochNanos() {
        return epochNanos;
    }

    @Override
    public long getObservedTimestampEpochNanos() {
        return epochNanos;
    }

    @Override
    public SpanContext getSpanContext() {
        return context;
    }

    @Override
    public Severity getSeverity() {
        return Severity.INFO;
    }

    @Override
    public String getSeverityText() {
        return null;
    }

    @Override
    @SuppressWarnings("deprecation") // still abstract in LogRecordData; the event has no body
    public Body getBody() {
        return Body.empty();
    }

    @Override
    public Value<?> getBodyValue() {
        return null;
    }

    @Override
    public Attributes getAttributes() {
        return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
        return attributes.size();
    }
}
