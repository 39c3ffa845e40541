package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Cost;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.api.Usage;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.delivery.CallSink;
import dev.llmhub.core.provider.ChunkStream;
import dev.llmhub.core.provider.MockProvider;
import dev.llmhub.core.provider.Provider;
import dev.llmhub.core.router.Deployment;
import dev.llmhub.core.router.Router;
import dev.llmhub.core.router.UnknownModelException;
import dev.llmhub.core.usage.CostCalculator;
import dev.llmhub.core.usage.PriceTable;
import dev.llmhub.core.usage.TokenCounter;
import io.micrometer.core.instrument.MeterRegistry;
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
    private final CallSink sink;
    private final ProxyInfo proxy;
    private final CallCompletion completion;

    /**
     * @param config   the parsed config
     * @param sink     where call records and events go (the delivery runtime)
     * @param proxy    this instance, for records
     * @param registry where request metrics go
     */
    public Gateway(HubConfig config, CallSink sink, ProxyInfo proxy, MeterRegistry registry) {
        this.tokens = new TokenCounter();
        Router router = new Router(config, tokens);
        this.state = new State(config, router);
        this.sink = sink;
        this.proxy = proxy;
        this.completion = new CallCompletion(tokens, new CostCalculator(PriceTable.load()),
                new GatewayMetrics(registry, router.modelNames()));
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
        completion.metrics().models(router.modelNames());
        java.util.List<Deployment> retired = old.router().retiredBy(router);
        if (!retired.isEmpty()) {
            java.time.Duration grace = old.router().longestTimeout().plusSeconds(5);
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

    /**
     * Counts a request refused before it became a call (a wrong key, a body that could not be read or
     * parsed, an unknown route), so the request metrics see every answer the server sent.
     *
     * @param error      what the client was told
     * @param startNanos {@link System#nanoTime()} when the request arrived
     */
    public void rejected(ApiError error, long startNanos) {
        completion.rejected(error.status(), startNanos);
    }

    /**
     * Handles one parsed client call. Never throws for bad input: every failure is a
     * {@link GatewayResult.Failed} with its record already published.
     */
    public GatewayResult handle(ClientCall call) {
        State s = state;
        HubConfig config = s.config();
        Router router = s.router();
        ClientApi api = ClientApi.of(call.callType());
        boolean noLog = call.body().path("no-log").asBoolean(false) && !config.globalDisableNoLogParam();
        CallRecorder recorder = new CallRecorder(call, api, sink, proxy, !noLog, completion.metrics());
        try {
            api.validate(call.body());
            boolean stream = call.body().path("stream").asBoolean(false);
            String mock = call.body().path("mock_response").isTextual() ? call.body().get("mock_response").asText() : null;
            ObjectNode upstreamBody = api.upstreamBody(call.body());
            CallType type = call.callType();
            if (stream) {
                Router.Routed<ChunkStream> routed = router.execute(recorder.model(), recorder, d ->
                        ApiBridge.stream(type, d, providerFor(d, mock), bodyFor(d, upstreamBody), router.timeoutOf(d),
                                call.headers()));
                return new GatewayResult.Streaming(new StreamSession(completion, recorder, routed.deployment(),
                        routed.value(), api.streamFold(call.body())));
            }
            Router.Routed<ObjectNode> routed = router.execute(recorder.model(), recorder, d ->
                    ApiBridge.call(type, d, providerFor(d, mock), bodyFor(d, upstreamBody), router.timeoutOf(d),
                            call.headers()));
            return complete(api, recorder, routed.deployment(), routed.value());
        } catch (ApiException e) {
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

    private GatewayResult complete(ClientApi api, CallRecorder recorder, Deployment d, ObjectNode body) {
        Optional<Usage> reported = api.usage(body);
        Usage usage = reported.orElseGet(() -> completion.estimate(recorder, d, api.completionText(body)));
        if (reported.isEmpty()) {
            api.putUsage(body, usage);
        }
        String responseModel = api.responseModel(body).orElse(d.config().upstreamModel());
        Optional<Cost> cost = completion.cost(d, responseModel, usage);
        d.recordTokens(usage.totalTokens());
        recorder.success(d, responseModel, api.content(body, recorder.id()), usage, cost, null);
        completion.finish(recorder, 200);
        return new GatewayResult.Completed(body, cost, recorder::awaitJournaled);
    }

    private GatewayResult fail(CallRecorder recorder, ApiError error) {
        recorder.failure(error.toCallError(), Usage.none(), null);
        completion.finish(recorder, error.status());
        return new GatewayResult.Failed(error, recorder::awaitJournaled);
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
}
