package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Cost;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.api.Usage;
import dev.llmhub.core.config.DeploymentConfig;
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
import java.util.List;
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
    private final RejectedRecords rejectedRecords;

    /**
     * @param config   the parsed config
     * @param sink     where call records and events go (the delivery runtime)
     * @param proxy    this instance, for records
     * @param registry where request metrics go
     */
    public Gateway(HubConfig config, CallSink sink, ProxyInfo proxy, MeterRegistry registry) {
        // The price table first: the providers' web clients wait for Helidon's service registry, which
        // a thread of its own initialises during the start (dev.llmhub.server.Main); this fills the wait.
        CostCalculator costs = new CostCalculator(PriceTable.load());
        this.tokens = new TokenCounter();
        Router router = new Router(config, tokens, registry);
        this.state = new State(config, router);
        this.sink = sink;
        this.proxy = proxy;
        this.completion = new CallCompletion(tokens, costs,
                new GatewayMetrics(registry, router.modelNames()));
        this.rejectedRecords = new RejectedRecords(registry);
    }

    /**
     * Loads the tokenizer's tables the configured models count with (about half a second of CPU each) on
     * a thread of their own, so that the first request that needs them does not wait. Call it once the
     * proxy serves: during start it competed with the start itself for the cores. Only those: the
     * tables no deployment uses took CPU from the first seconds of traffic for nothing.
     */
    public void warmUpTokenizer() {
        List<String> models = state.config().deployments().stream().map(DeploymentConfig::upstreamModel).toList();
        Thread.ofVirtual().name("llmhub-tokenizer-warmup").start(() -> tokens.warmUp(models));
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
     * Refuses a request before it became a call: a wrong or missing key, a body that could not be
     * read or parsed, one too large, an unknown route. It gets a record like a failed call (as
     * {@code general_settings.rejected_requests} allows) and is counted in the request metrics.
     *
     * @param call  the request as far as it was read: its body is empty when it was never parsed
     * @param error what the client is told
     * @return the answer to send, its record on its way
     */
    public GatewayResult.Failed reject(ClientCall call, ApiError error) {
        CallRecorder recorder = new CallRecorder(call, List.of(), Optional.empty(), sink, proxy, true,
                completion.metrics());
        return fail(state.config(), recorder, error, true);
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
            return fail(config, recorder, e.error(), true);
        } catch (UnknownModelException e) {
            return fail(config, recorder, new ApiError(400, "invalid_request_error", e.getMessage(), Optional.of("model"),
                    Optional.of("model_not_found"), Optional.empty()), true);
        } catch (Router.RoutedFailure e) {
            // no deployment tried: the proxy's own rpm/tpm limits refused the call before any upstream
            return fail(config, recorder, ApiError.from(e.error()), e.deployment().isEmpty());
        } catch (RuntimeException e) {
            // a bug, not the client's fault: still one record, and no stack trace to the client
            System.getLogger(Gateway.class.getName()).log(System.Logger.Level.ERROR,
                    "internal error handling call " + recorder.id(), e);
            return fail(config, recorder, ApiError.of(500, "internal error in llmhub (call " + recorder.id() + ")",
                    "internal_error"), false);
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

    /** @param rejected refused before any upstream try: its record counts against {@code rejected_requests} */
    private GatewayResult.Failed fail(HubConfig config, CallRecorder recorder, ApiError error, boolean rejected) {
        if (rejected && recorder.enabled()
                && !rejectedRecords.admit(config.general().rejectedRequests(), error.status())) {
            recorder.skip();
        } else {
            recorder.failure(error.toCallError(), Usage.none(), null);
        }
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
