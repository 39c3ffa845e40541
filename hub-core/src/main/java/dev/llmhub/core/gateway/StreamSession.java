package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallError;
import dev.llmhub.api.Cost;
import dev.llmhub.api.Usage;
import dev.llmhub.core.provider.ChunkStream;
import dev.llmhub.core.provider.UpstreamException;
import dev.llmhub.core.router.Deployment;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * An accepted upstream stream, relayed chunk by chunk to the client by {@link #pump} in the API's
 * own event format (its {@link StreamFold}). Fires a stream event per chunk sent, and publishes the
 * record when the stream ends, breaks or the client leaves.
 */
public final class StreamSession {
    private final CallCompletion completion;
    private final CallRecorder recorder;
    private final Deployment deployment;
    private final ChunkStream upstream;
    private final StreamFold fold;

    StreamSession(CallCompletion completion, CallRecorder recorder, Deployment deployment, ChunkStream upstream,
                  StreamFold fold) {
        this.completion = completion;
        this.recorder = recorder;
        this.deployment = deployment;
        this.upstream = upstream;
        this.fold = fold;
    }

    /** @return the id of the call (the record's id) */
    public String callId() {
        return recorder.id();
    }

    /**
     * Relays the whole stream, ending as the API ends its streams. Returns normally even when the
     * upstream breaks off (the client gets an error event) or the client disconnects.
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
                boolean content = fold.isContent(chunk);
                String delta = fold.relay(chunk, writer);
                if (delta == null) {
                    continue;
                }
                if (content) {
                    Instant now = Instant.now();
                    if (firstToken == null) {
                        firstToken = now;
                    }
                    recorder.contentChunk(now);
                }
                recorder.streamChunk(index++, delta);
            }
            Usage usage = fold.usage().orElseGet(() -> completion.estimate(recorder, deployment, fold.allText()));
            String responseModel = fold.model().orElse(deployment.config().upstreamModel());
            Optional<Cost> cost = completion.cost(deployment, responseModel, usage);
            deployment.recordTokens(usage.totalTokens());
            recorder.success(deployment, responseModel, fold.response(recorder.id()), usage, cost, firstToken);
            recorder.awaitJournaled(); // the stream's last bytes wait for the record
            fold.end(usage, recorder.id(), responseModel, writer);
            completion.finish(recorder, 200);
        } catch (UpstreamException e) {
            recorder.failure(e.toCallError(), partialUsage(), firstToken);
            try {
                recorder.awaitJournaled();
                fold.error(ApiError.from(e), writer);
            } catch (IOException | RuntimeException gone) {
                // the client left as well; the record says what happened upstream
            }
            completion.finish(recorder, e.status());
        } catch (IOException | RuntimeException clientGone) {
            recorder.failure(new CallError("client_disconnected", "the client closed the stream before it ended",
                    Optional.of(499), Optional.empty(), false), partialUsage(), firstToken);
            completion.finish(recorder, 499);
        }
    }

    private Usage partialUsage() {
        try {
            return fold.usage().orElseGet(() -> completion.estimate(recorder, deployment, fold.allText()));
        } catch (RuntimeException e) {
            return Usage.none();
        }
    }
}
