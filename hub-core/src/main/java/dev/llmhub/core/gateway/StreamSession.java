package dev.llmhub.core.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallError;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Cost;
import dev.llmhub.api.Usage;
import dev.llmhub.core.provider.ChunkStream;
import dev.llmhub.core.provider.Json;
import dev.llmhub.core.provider.UpstreamException;
import dev.llmhub.core.router.Deployment;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * An accepted upstream stream, relayed chunk by chunk to the client by {@link #pump}. Assembles the
 * response for the call record, fires a stream event per chunk, drops the usage chunk the proxy asked
 * for unless the client asked for it too (or adds one, estimated, when the client asked and the
 * upstream sent none), and publishes the record when the stream ends, breaks or the client leaves.
 */
public final class StreamSession {
    private final Gateway gateway;
    private final CallRecorder recorder;
    private final Deployment deployment;
    private final ChunkStream upstream;
    private final boolean includeUsage;
    private final StreamAssembler assembler;

    StreamSession(Gateway gateway, CallRecorder recorder, Deployment deployment, ChunkStream upstream,
                  boolean includeUsage) {
        this.gateway = gateway;
        this.recorder = recorder;
        this.deployment = deployment;
        this.upstream = upstream;
        this.includeUsage = includeUsage;
        this.assembler = new StreamAssembler(recorder.call().callType());
    }

    /** @return the id of the call (the record's id) */
    public String callId() {
        return recorder.id();
    }

    /**
     * Relays the whole stream, ending with {@code [DONE]}. Returns normally even when the upstream
     * breaks off (the client gets an error event) or the client disconnects.
     *
     * @param writer the SSE sink
     */
    public void pump(ChunkWriter writer) {
        Instant firstToken = null;
        int index = 0;
        try (upstream) {
            while (true) {
                long t0 = System.nanoTime();
                Optional<ObjectNode> next;
                try {
                    next = upstream.next();
                } finally {
                    recorder.addUpstreamNanos(System.nanoTime() - t0);
                }
                if (next.isEmpty()) {
                    break;
                }
                ObjectNode chunk = next.get();
                String delta = assembler.add(chunk);
                boolean usageOnly = chunk.path("choices").isEmpty() && chunk.has("usage");
                if (!includeUsage) {
                    if (usageOnly) {
                        continue;
                    }
                    chunk.remove("usage");
                }
                writer.write(write(chunk));
                if (firstToken == null && Gateway.isContent(chunk)) {
                    firstToken = Instant.now();
                }
                recorder.streamChunk(index++, delta);
            }
            Usage usage = assembler.providerUsage()
                    .orElseGet(() -> gateway.estimate(recorder, deployment, assembler.allText()));
            if (includeUsage && assembler.providerUsage().isEmpty()) {
                ObjectNode usageChunk = Json.MAPPER.createObjectNode();
                usageChunk.put("id", recorder.id());
                usageChunk.put("object", recorder.call().callType() == CallType.CHAT ? "chat.completion.chunk" : "text_completion");
                usageChunk.put("created", System.currentTimeMillis() / 1000);
                usageChunk.put("model", assembler.model().orElse(deployment.config().upstreamModel()));
                usageChunk.putArray("choices");
                usageChunk.set("usage", Responses.usageJson(usage, false));
                writer.write(write(usageChunk));
            }
            String responseModel = assembler.model().orElse(deployment.config().upstreamModel());
            Optional<Cost> cost = gateway.cost(deployment, responseModel, usage);
            deployment.recordTokens(usage.totalTokens());
            recorder.success(deployment, responseModel, assembler.response(recorder.id()), usage, cost, firstToken);
            recorder.awaitJournaled(); // the last byte waits for the record
            writer.write("[DONE]");
            gateway.finish(recorder, 200);
        } catch (UpstreamException e) {
            ApiError error = ApiError.from(e);
            recorder.failure(e.toCallError(), partialUsage(), firstToken);
            try {
                writer.write(write(error.toJson()));
                recorder.awaitJournaled();
                writer.write("[DONE]");
            } catch (IOException | RuntimeException gone) {
                // the client left as well; the record says what happened upstream
            }
            gateway.finish(recorder, e.status());
        } catch (IOException | RuntimeException clientGone) {
            recorder.failure(new CallError("client_disconnected", "the client closed the stream before it ended",
                    Optional.of(499), Optional.empty(), false), partialUsage(), firstToken);
            gateway.finish(recorder, 499);
        }
    }

    private Usage partialUsage() {
        try {
            return assembler.providerUsage().orElseGet(() -> gateway.estimate(recorder, deployment, assembler.allText()));
        } catch (RuntimeException e) {
            return Usage.none();
        }
    }

    private static String write(ObjectNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
