package dev.llmhub.plugin.langfuse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One call record as Langfuse sees it: a trace with one generation. Both wire formats (OTLP spans and
 * ingestion events) are written from this, so the two modes cannot drift apart.
 *
 * @param recordId            the call record's id
 * @param traceId             Langfuse trace id as the ingestion API gets it (a caller's id kept as sent)
 * @param otelTraceId         the same trace as 32 hex for OTLP
 * @param observationId       generation id as the ingestion API gets it
 * @param otelSpanId          the same observation as 16 hex for OTLP
 * @param otelParentSpanId    the caller's span (from {@code traceparent}) when the trace is the caller's
 * @param writesTrace         false when the call joins an {@code existing_trace_id}: trace-level
 *                            fields are then left as the trace's owner set them
 * @param traceName           trace name
 * @param userId              Langfuse user id
 * @param sessionId           Langfuse session id
 * @param tags                trace tags
 * @param traceMetadata       trace metadata ({@code trace_metadata})
 * @param name                generation name
 * @param operation           OTel GenAI operation: chat, text_completion or embeddings
 * @param observationType     Langfuse observation type: generation or embedding
 * @param model               model the client asked for
 * @param responseModel       model the provider reported
 * @param modelParameters     request parameters (temperature, max_tokens…)
 * @param usage               token counts
 * @param cost                cost in USD: input, output, total
 * @param input               what was sent to the model, when message logging is on
 * @param output              what the model answered, when message logging is on
 * @param error               whether the call failed (level ERROR)
 * @param statusMessage       why it failed
 * @param startTime           call start
 * @param endTime             call end
 * @param completionStartTime first streamed token, for streams
 * @param release             release
 * @param environment         environment
 * @param version             version ({@code metadata.version})
 * @param metadata            generation metadata: routing, attempts, the request's other metadata
 */
record Generation(
        String recordId,
        String traceId,
        String otelTraceId,
        String observationId,
        String otelSpanId,
        Optional<String> otelParentSpanId,
        boolean writesTrace,
        String traceName,
        Optional<String> userId,
        Optional<String> sessionId,
        List<String> tags,
        Map<String, Object> traceMetadata,
        String name,
        String operation,
        String observationType,
        String model,
        Optional<String> responseModel,
        Map<String, Object> modelParameters,
        TokenUsage usage,
        Optional<CostDetails> cost,
        Optional<Object> input,
        Optional<Object> output,
        boolean error,
        Optional<String> statusMessage,
        Instant startTime,
        Instant endTime,
        Optional<Instant> completionStartTime,
        Optional<String> release,
        Optional<String> environment,
        Optional<String> version,
        Map<String, Object> metadata) {

    /**
     * Token counts as OpenAI reports them: prompt includes cached tokens, completion includes
     * reasoning tokens.
     */
    record TokenUsage(long prompt, long completion, long total, long cached, long reasoning) {
        boolean isEmpty() {
            return prompt == 0 && completion == 0 && total == 0;
        }

        /** @return Langfuse's usage keys: input and output exclude the cached and reasoning parts */
        Map<String, Long> langfuseDetails() {
            Map<String, Long> m = new java.util.LinkedHashMap<>();
            m.put("input", Math.max(0, prompt - cached));
            m.put("output", Math.max(0, completion - reasoning));
            m.put("total", total);
            if (cached > 0) {
                m.put("input_cached_tokens", cached);
            }
            if (reasoning > 0) {
                m.put("output_reasoning_tokens", reasoning);
            }
            return m;
        }
    }

    /** Cost in USD. */
    record CostDetails(double input, double output, double total) {
        Map<String, Double> asMap() {
            Map<String, Double> m = new java.util.LinkedHashMap<>();
            m.put("input", input);
            m.put("output", output);
            m.put("total", total);
            return m;
        }
    }
}
