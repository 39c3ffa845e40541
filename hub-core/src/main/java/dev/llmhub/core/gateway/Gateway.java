package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Cost;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.api.Usage;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.config.ProviderKind;
import dev.llmhub.core.delivery.CallSink;
import dev.llmhub.core.provider.ChunkStream;
import dev.llmhub.core.provider.MockProvider;
import dev.llmhub.core.provider.Provider;
import dev.llmhub.core.provider.UpstreamRequest;
import dev.llmhub.core.router.Deployment;
import dev.llmhub.core.router.Router;
import dev.llmhub.core.router.UnknownModelException;
import dev.llmhub.core.usage.CostCalculator;
import dev.llmhub.core.usage.PriceTable;
import dev.llmhub.core.usage.TokenCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;

/**
 * The request flow without HTTP: validate, route (with retries and fallback), call the provider,
 * count usage and cost, and hand exactly one call record per client call to the {@link CallSink}.
 * The server parses bodies, checks auth and writes answers; everything in between is here.
 */
public final class Gateway implements AutoCloseable {
    /** The config and the router built from it, swapped together by {@link #apply}; a call uses one. */
    private record State(HubConfig config, Router router) {
    }

    private volatile State state;
    private final TokenCounter tokens;
    private final CostCalculator costs;
    private final CallSink sink;
    private final ProxyInfo proxy;
    private final GatewayMetrics metrics;

    /**
     * @param config   the parsed config
     * @param sink     where call records and events go (the delivery runtime)
     * @param proxy    this instance, for records
     * @param registry where request metrics go
     */
    public Gateway(HubConfig config, CallSink sink, ProxyInfo proxy, MeterRegistry registry) {
        this.tokens = new TokenCounter();
        Router router = new Router(config, tokens, registry);
        this.state = new State(config, router);
        this.costs = new CostCalculator(PriceTable.load());
        this.sink = sink;
        this.proxy = proxy;
        this.metrics = new GatewayMetrics(registry, router.modelNames());
        // the tokenizer's tables load lazily (~1 s): load them now, off the startup path, not on a first request
        Thread.ofVirtual().name("llmhub-tokenizer-warmup").start(tokens::warmUp);
    }

    public HubConfig config() {
        return state.config();
    }

    public Router router() {
        return state.router();
    }

    /**
     * Serves a reloaded config from now on: models, routing and limits. Calls in progress finish on
     * the old router; deployments that did not change keep their clients and rpm/tpm windows; the
     * clients of removed deployments are closed once no call can still be using them.
     *
     * @param next the new config, already validated
     */
    public void apply(HubConfig next) {
        State old = state;
        Router router = new Router(next, tokens, old.router());
        state = new State(next, router);
        metrics.models(router.modelNames());
        java.util.List<Deployment> retired = old.router().retiredBy(router);
        if (!retired.isEmpty()) {
            Duration grace = old.router().longestTimeout().plusSeconds(5);
            Thread.ofVirtual().name("llmhub-retire-deployments").start(() -> {
                try {
                    Thread.sleep(grace);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                retired.forEach(d -> d.provider().close());
            });
        }
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /**
     * Handles one parsed client call. Never throws for bad input: every failure is a
     * {@link GatewayResult.Failed} with its record already published.
     */
    public GatewayResult handle(ClientCall call) {
        State s = state;
        HubConfig config = s.config();
        Router router = s.router();
        boolean noLog = call.body().path("no-log").asBoolean(false) && !config.globalDisableNoLogParam();
        CallRecorder recorder = new CallRecorder(call, sink, proxy, !noLog, metrics);
        try {
            RequestValidator.validate(call.callType(), call.body());
            boolean stream = call.body().path("stream").asBoolean(false);
            String mock = call.body().path("mock_response").isTextual() ? call.body().get("mock_response").asText() : null;
            ObjectNode upstreamBody = upstreamBody(call.body());
            if (stream) {
                boolean includeUsage = call.body().path("stream_options").path("include_usage").asBoolean(false);
                Router.Routed<ChunkStream> routed = router.execute(recorder.model(), recorder, d -> {
                    Provider p = providerFor(d, mock);
                    ObjectNode b = bodyFor(d, upstreamBody);
                    if (p.kind() == ProviderKind.OPENAI) {
                        // ask for the usage chunk so usage is the provider's; dropped again unless the client asked
                        ObjectNode options = b.objectNode();
                        if (b.get("stream_options") instanceof ObjectNode existing) {
                            options.setAll(existing);
                        }
                        b.set("stream_options", options.put("include_usage", true));
                    }
                    return p.stream(new UpstreamRequest(call.callType(), b, router.timeoutOf(d)));
                });
                return new GatewayResult.Streaming(new StreamSession(this, recorder, routed.deployment(),
                        routed.value(), includeUsage));
            }
            Router.Routed<ObjectNode> routed = router.execute(recorder.model(), recorder, d -> providerFor(d, mock)
                    .call(new UpstreamRequest(call.callType(), bodyFor(d, upstreamBody), router.timeoutOf(d))));
            return complete(recorder, routed.deployment(), routed.value());
        } catch (BadRequestException e) {
            return fail(recorder, e.error());
        } catch (UnknownModelException e) {
            return fail(recorder, new ApiError(400, "invalid_request_error", e.getMessage(), Optional.of("model"),
                    Optional.of("model_not_found"), Optional.empty()));
        } catch (Router.RoutedFailure e) {
            return fail(recorder, ApiError.from(e.error()));
        } catch (RuntimeException e) {
            // a bug, not the client's fault: still one record, and no stack trace to the client
            System.getLogger(Gateway.class.getName()).log(System.Logger.Level.ERROR,
                    "internal error handling call " + recorder.id(), e);
            return fail(recorder, ApiError.of(500, "internal error in llmhub (call " + recorder.id() + ")", "internal_error"));
        }
    }

    private GatewayResult complete(CallRecorder recorder, Deployment d, ObjectNode body) {
        CallType type = recorder.call().callType();
        Usage usage = Responses.usage(body).orElseGet(() -> estimate(recorder, d, Responses.completionText(body)));
        if (!body.path("usage").isObject()) {
            body.set("usage", Responses.usageJson(usage, type == CallType.EMBEDDING));
        }
        String responseModel = body.path("model").isTextual() ? body.get("model").asText() : d.config().upstreamModel();
        Optional<Cost> cost = costs.cost(d.config(), responseModel, usage);
        d.recordTokens(usage.totalTokens());
        recorder.success(d, responseModel, type == CallType.EMBEDDING
                ? new dev.llmhub.api.ResponseContent(recorder.id(), System.currentTimeMillis() / 1000,
                        java.util.List.of(), java.util.List.of(), Optional.empty())
                : Responses.content(body, recorder.id()), usage, cost, null);
        finish(recorder, 200);
        return new GatewayResult.Completed(body, cost, recorder::awaitJournaled);
    }

    private GatewayResult fail(CallRecorder recorder, ApiError error) {
        recorder.failure(error.toCallError(), Usage.none(), null);
        finish(recorder, error.status());
        return new GatewayResult.Failed(error, recorder::awaitJournaled);
    }

    void finish(CallRecorder recorder, int status) {
        long elapsed = System.nanoTime() - recorder.call().startNanos();
        metrics.request(recorder.model(), status, Duration.ofNanos(elapsed));
        if (recorder.upstreamNanos() > 0) {
            metrics.upstream(recorder.model(), Duration.ofNanos(recorder.upstreamNanos()));
        }
    }

    Usage estimate(CallRecorder recorder, Deployment d, String completionText) {
        String model = d.config().upstreamModel();
        ObjectNode body = recorder.call().body();
        long prompt = switch (recorder.call().callType()) {
            case CHAT -> tokens.chatPrompt(model, recorder.messages().stream().map(m -> (Object) m).toList());
            case COMPLETION -> tokens.input(model, CallRecorder.plain(body.path("prompt")));
            case EMBEDDING -> tokens.input(model, CallRecorder.plain(body.path("input")));
        };
        long completion = tokens.text(model, completionText);
        return new Usage(prompt, completion, prompt + completion, 0, 0, Usage.Source.ESTIMATED);
    }

    Optional<Cost> cost(Deployment d, String responseModel, Usage usage) {
        return costs.cost(d.config(), responseModel, usage);
    }

    private Provider providerFor(Deployment d, String mockText) {
        if (mockText == null) {
            return d.provider();
        }
        if (d.provider() instanceof MockProvider m) {
            return m.withText(mockText);
        }
        // a request-level mock_response never reaches the network, whatever the deployment
        return new MockProvider(mockText, d.config().upstreamModel(), tokens);
    }

    /**
     * The client's body minus the proxy's own fields. Copies are shallow (children shared): nothing
     * below the top level is ever modified.
     */
    private static ObjectNode upstreamBody(ObjectNode body) {
        ObjectNode copy = body.objectNode();
        copy.setAll(body);
        for (String f : new String[] {"metadata", "no-log", "mock_response", "api_key", "api-key", "api_base",
                "api_version", "user_api_key", "litellm_params"}) {
            copy.remove(f);
        }
        return copy;
    }

    private static ObjectNode bodyFor(Deployment d, ObjectNode upstreamBody) {
        ObjectNode b = upstreamBody.objectNode();
        b.setAll(upstreamBody);
        b.put("model", d.config().upstreamModel());
        return b;
    }

    @Override
    public void close() {
        state.router().close();
    }

    static boolean isContent(JsonNode chunk) {
        for (JsonNode c : chunk.path("choices")) {
            JsonNode delta = c.path("delta");
            if (delta.path("content").isTextual() && !delta.get("content").asText().isEmpty()
                    || delta.has("tool_calls") || c.path("text").isTextual() && !c.get("text").asText().isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
