package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.Cost;
import dev.llmhub.api.Usage;
import dev.llmhub.core.router.Deployment;
import dev.llmhub.core.usage.CostCalculator;
import dev.llmhub.core.usage.TokenCounter;
import java.time.Duration;
import java.util.Optional;

/**
 * What ends a call, whether it ends in {@link Gateway#handle} or later in a {@link StreamSession}:
 * usage when the provider sent none, cost, and the request metrics. Shared by both so that a stream
 * needs no way back into the gateway.
 */
final class CallCompletion {
    private final TokenCounter tokens;
    private final CostCalculator costs;
    private final GatewayMetrics metrics;

    CallCompletion(TokenCounter tokens, CostCalculator costs, GatewayMetrics metrics) {
        this.tokens = tokens;
        this.costs = costs;
        this.metrics = metrics;
    }

    /** @return usage counted with the tokenizer, for an upstream that reported none */
    Usage estimate(CallRecorder recorder, Deployment d, String completionText) {
        String model = d.config().upstreamModel();
        ObjectNode body = recorder.call().body();
        long prompt = switch (recorder.call().callType()) {
            case CHAT, MESSAGES, RESPONSES, OTHER ->
                    tokens.chatPrompt(model, recorder.messages().stream().map(m -> (Object) m).toList());
            case COMPLETION -> tokens.input(model, CallRecorder.plain(body.path("prompt")));
            case EMBEDDING -> tokens.input(model, CallRecorder.plain(body.path("input")));
        };
        long completion = tokens.text(model, completionText);
        return new Usage(prompt, completion, prompt + completion, 0, 0, Usage.Source.ESTIMATED);
    }

    Optional<Cost> cost(Deployment d, String responseModel, Usage usage) {
        return costs.cost(d.config(), responseModel, usage);
    }

    /** @return the request metrics */
    GatewayMetrics metrics() {
        return metrics;
    }

    /** Counts the finished call in the request metrics. */
    void finish(CallRecorder recorder, int status) {
        long elapsed = System.nanoTime() - recorder.call().startNanos();
        metrics.request(recorder.model(), status, Duration.ofNanos(elapsed));
        if (recorder.upstreamNanos() > 0) {
            metrics.upstream(recorder.model(), Duration.ofNanos(recorder.upstreamNanos()));
        }
    }
}
