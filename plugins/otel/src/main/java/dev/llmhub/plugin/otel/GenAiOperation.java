package dev.llmhub.plugin.otel;

import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The GenAI client operation a call record describes: llmhub calling providers on the client's behalf,
 * from the first upstream try to the end of the answer. A call refused before any try (bad request,
 * unknown model, every deployment at its limit) was no GenAI operation: only its HTTP server span
 * exists, and no GenAI metric counts it.
 *
 * @param record the call
 * @param start  when the first try started
 * @param end    when the last try ended; for a stream the try ends when the upstream accepted it, so
 *               the operation (and that try) runs on to the end of the call
 */
record GenAiOperation(CallRecord record, Instant start, Instant end) {

    /** @return the operation, or empty when no upstream try was made */
    static Optional<GenAiOperation> of(CallRecord r) {
        List<Attempt> tries = r.attempts();
        if (tries.isEmpty()) {
            return Optional.empty();
        }
        Attempt last = tries.get(tries.size() - 1);
        Instant end = streamedBy(r, last) && r.endTime().isAfter(last.endTime()) ? r.endTime() : last.endTime();
        return Optional.of(new GenAiOperation(r, tries.get(0).startTime(), end));
    }

    /** @return whether this try is the one whose stream the client received */
    static boolean streamedBy(CallRecord r, Attempt a) {
        List<Attempt> tries = r.attempts();
        return r.stream() && a.status() == CallStatus.SUCCESS && a == tries.get(tries.size() - 1);
    }

    String operationName() {
        return GenAi.operationName(record.callType());
    }

    String providerName() {
        return GenAi.providerName(record.provider());
    }

    /** @return chat or text completion (the conventions' inference span), not embeddings */
    boolean inference() {
        return record.callType() != CallType.EMBEDDING;
    }

    /** @return the model sent upstream; never the client's alias */
    Optional<String> requestModel() {
        return record.upstreamModel();
    }

    /** @return {@code {gen_ai.operation.name} {gen_ai.request.model}}, the conventions' span name */
    String spanName() {
        return requestModel().map(m -> operationName() + " " + m).orElse(operationName());
    }

    /** @return the server the last try talked to; empty when it went over no network (the built-in mock) */
    Optional<GenAi.Server> server() {
        return GenAi.Server.of(record.attempts().get(record.attempts().size() - 1).url());
    }

    /** @return the provider's response id; llmhub's own id (used when the provider sent none) is not one */
    Optional<String> responseId() {
        return record.response().map(c -> c.id()).filter(id -> !id.equals(record.id()));
    }

    /**
     * @return whether token counts describe this call: measured by the provider, or counted by llmhub's
     *         tokenizer for an answer that arrived. A failure without the provider's usage has none.
     */
    boolean hasUsage() {
        return record.usage().source() == Usage.Source.PROVIDER || record.status() == CallStatus.SUCCESS;
    }

    double seconds() {
        return seconds(start, end);
    }

    /**
     * @return seconds from the start of the try that streamed (the last one) to the first content chunk,
     *         for streamed calls that sent one
     */
    Optional<Double> timeToFirstChunk() {
        if (!record.stream() || record.firstTokenTime().isEmpty()) {
            return Optional.empty();
        }
        Instant from = record.attempts().get(record.attempts().size() - 1).startTime();
        return Optional.of(Math.max(0, seconds(from, record.firstTokenTime().get())));
    }

    /**
     * The record keeps how many content chunks a stream had and when the first and last were sent, not
     * each chunk's time: the mean gap between chunks stands for every gap, so a histogram's count and
     * sum are exact and only the spread within one call is lost.
     *
     * @return the mean time per output chunk after the first and how many chunks it stands for; empty
     *         for calls that streamed fewer than two content chunks
     */
    Optional<ChunkGaps> timePerOutputChunk() {
        int chunks = record.outputChunks();
        if (!record.stream() || chunks < 2 || record.firstTokenTime().isEmpty() || record.lastTokenTime().isEmpty()) {
            return Optional.empty();
        }
        double total = Math.max(0, seconds(record.firstTokenTime().get(), record.lastTokenTime().get()));
        return Optional.of(new ChunkGaps(total / (chunks - 1), chunks - 1));
    }

    /** @param seconds the mean gap @param count how many gaps */
    record ChunkGaps(double seconds, int count) {
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static double seconds(Instant from, Instant to) {
        return (nanos(to) - nanos(from)) / 1e9;
    }
}
