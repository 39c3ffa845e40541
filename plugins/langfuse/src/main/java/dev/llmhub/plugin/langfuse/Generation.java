package dev.llmhub.plugin.langfuse;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One call record as Langfuse sees it: a generation, and what the call says about its trace. Both wire
 * formats (OTLP spans and ingestion events) are written from this, so the two modes cannot drift apart.
 *
 * @param recordId            the call record's id
 * @param traceId             Langfuse trace id as the ingestion API gets it (a caller's id kept as sent)
 * @param otelTraceId         the same trace as 32 hex for OTLP
 * @param observationId       generation id as the ingestion API gets it (a caller's id kept as sent)
 * @param otelSpanId          the same observation as 16 hex for OTLP
 * @param otelParentSpanId    the OTLP parent span: the caller's span, or a detached parent that makes a
 *                            generation joining someone else's trace a non-root span; empty for a root
 * @param parentObservationId the ingestion API's parent observation: the caller's span, when it has one
 * @param trace               what the call writes on its trace
 * @param name                generation name
 * @param observationType     Langfuse observation type: generation or embedding
 * @param model               the model the provider reported, else the one the client asked for
 * @param modelParameters     request parameters (temperature, max_tokens…)
 * @param usage               token counts
 * @param cost                cost in USD: input, output, total
 * @param input               what was sent to the model, when message logging is on
 * @param output              what the model answered, when message logging is on
 * @param statusMessage       why the call failed, when it did (level ERROR)
 * @param startTime           call start
 * @param endTime             call end
 * @param completionStartTime first streamed token, for streams
 * @param prompt              the Langfuse prompt the call used ({@code metadata.prompt}), to link
 * @param environment         environment, as Langfuse stores it
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
        Optional<String> parentObservationId,
        TraceFields trace,
        String name,
        String observationType,
        String model,
        Map<String, Object> modelParameters,
        TokenUsage usage,
        Optional<CostDetails> cost,
        Optional<Object> input,
        Optional<Object> output,
        Optional<String> statusMessage,
        Instant startTime,
        Instant endTime,
        Optional<Instant> completionStartTime,
        Optional<PromptRef> prompt,
        Optional<String> environment,
        Optional<String> version,
        Map<String, Object> metadata) {

    /** Metadata key that says why input and output are missing. */
    static final String NOTE_KEY = "llmhub_note";

    /** @return whether the call failed (Langfuse level ERROR) */
    boolean error() {
        return statusMessage.isPresent();
    }

    /** @return whether there is input or output to leave out */
    boolean hasContent() {
        return input.isPresent() || output.isPresent();
    }

    /**
     * @param why the note kept in the generation metadata
     * @return this generation without input and output (on the trace too)
     */
    Generation withoutContent(String why) {
        Map<String, Object> md = new LinkedHashMap<>(metadata);
        md.put(NOTE_KEY, why);
        return new Generation(recordId, traceId, otelTraceId, observationId, otelSpanId, otelParentSpanId,
                parentObservationId, trace, name, observationType, model, modelParameters, usage, cost,
                Optional.empty(), Optional.empty(), statusMessage, startTime, endTime, completionStartTime, prompt,
                environment, version, md);
    }

    /**
     * Whose trace the call belongs to, which decides what it may write on it (Langfuse applies
     * trace-level attributes of any span to its trace, and makes a span without parent the trace's root).
     */
    enum TraceRole {
        /** llmhub's own trace (no {@code traceparent}, or {@code metadata.trace_id}): the generation is its root. */
        OWN,
        /** The caller's trace ({@code traceparent}): the generation is a child of the caller's span. */
        CALLER,
        /** Someone else's trace ({@code metadata.existing_trace_id}): the generation is added, the trace is left alone. */
        JOINED
    }

    /**
     * What a call writes on its trace. For {@link TraceRole#OWN} everything; for {@link TraceRole#CALLER}
     * only what the request asked for explicitly; for {@link TraceRole#JOINED} nothing.
     *
     * @param role         whose trace it is
     * @param name         trace name
     * @param userId       Langfuse user id
     * @param sessionId    Langfuse session id
     * @param tags         trace tags
     * @param metadata     trace metadata ({@code trace_metadata})
     * @param withContent  whether the generation's input and output are also the trace's (sent on the
     *                     ingestion API's {@code trace-create}; over OTLP a root span's trace takes them
     *                     from the span itself)
     * @param release      release
     */
    record TraceFields(TraceRole role, Optional<String> name, Optional<String> userId, Optional<String> sessionId,
                       List<String> tags, Map<String, Object> metadata, boolean withContent,
                       Optional<String> release) {
        static TraceFields none() {
            return new TraceFields(TraceRole.JOINED, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                    Map.of(), false, Optional.empty());
        }
    }

    /**
     * A Langfuse prompt to link the generation to.
     *
     * @param name    prompt name
     * @param version prompt version
     */
    record PromptRef(String name, int version) {
    }

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
            Map<String, Long> m = new LinkedHashMap<>();
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
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("input", input);
            m.put("output", output);
            m.put("total", total);
            return m;
        }
    }
}
