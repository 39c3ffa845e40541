package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallError;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.Cost;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.api.Usage;
import dev.llmhub.core.delivery.CallSink;
import dev.llmhub.core.delivery.RedactionPolicy;
import dev.llmhub.core.journal.Append;
import dev.llmhub.core.journal.JournalWriteException;
import dev.llmhub.core.logging.ThrottledLog;
import dev.llmhub.core.provider.Json;
import dev.llmhub.core.provider.UpstreamException;
import dev.llmhub.core.router.AttemptObserver;
import dev.llmhub.core.router.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the proxy learns about one client call, turned into exactly one {@link CallRecord} at
 * the end ({@link #success} or {@link #failure}, whichever comes first; later calls are ignored).
 * Also the call's {@link AttemptObserver}: each upstream try becomes an {@link Attempt} and a pre/post
 * event. Building the record is in-memory work only; the sink never blocks.
 */
final class CallRecorder implements AttemptObserver {
    /** The request's content fields (of every API): in the record as messages, not as parameters. */
    private static final Set<String> CONTENT = Set.of("model", "messages", "prompt", "input", "system", "instructions");
    private static final Duration JOURNAL_WAIT = Duration.ofSeconds(10);
    private static final ThrottledLog WAIT_LOG = new ThrottledLog(System.getLogger(CallRecorder.class.getName()),
            Duration.ofSeconds(10));

    private final ClientCall call;
    private final CallSink sink;
    private final ProxyInfo proxy;
    private final boolean enabled;
    private final String id;
    private final GatewayMetrics metrics;
    private volatile Append appended;
    private final TraceContext trace;
    private final String model;
    private final List<Map<String, Object>> messages;
    private final Map<String, Object> requestParams;
    private final Map<String, Object> metadata;
    private final Optional<String> user;
    private final Optional<String> endUser;
    private final Map<String, String> headers;
    private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
    /** A request-level {@code mock_response} is answered without the network, whatever the deployment. */
    private final boolean mocked;
    private volatile long upstreamNanos;
    private volatile Instant lastTokenTime;
    private volatile int outputChunks;
    private volatile Deployment lastDeployment;
    private volatile boolean published;

    CallRecorder(ClientCall call, ClientApi api, CallSink sink, ProxyInfo proxy, boolean enabled, GatewayMetrics metrics) {
        this(call, api.messages(call.body()), api.user(call.body()), sink, proxy, enabled, metrics);
    }

    /**
     * @param messages the request's messages in the chat shape (none for a request refused before its
     *                 body was read)
     * @param user     the end user the body names
     */
    CallRecorder(ClientCall call, List<Map<String, Object>> messages, Optional<String> user, CallSink sink,
                 ProxyInfo proxy, boolean enabled, GatewayMetrics metrics) {
        this.call = call;
        this.id = call.callId();
        this.metrics = metrics;
        this.sink = sink;
        this.proxy = proxy;
        this.enabled = enabled;
        ObjectNode body = call.body();
        this.trace = TraceContext.from(call.headers().get("traceparent"));
        this.model = body.path("model").isTextual() ? body.get("model").asText() : "";
        this.mocked = body.path("mock_response").isTextual();
        this.messages = messages;
        Map<String, Object> params = new LinkedHashMap<>();
        body.properties().forEach(e -> {
            if (!CONTENT.contains(e.getKey()) && !ProxyFields.NAMES.contains(e.getKey())) {
                params.put(e.getKey(), plain(e.getValue()));
            }
        });
        this.requestParams = params;
        Map<String, Object> meta = new LinkedHashMap<>();
        if (body.path("metadata").isObject()) {
            body.get("metadata").properties().forEach(e -> meta.put(e.getKey(), plain(e.getValue())));
        }
        this.metadata = meta;
        this.user = user;
        Object endUserId = meta.get("end_user_id");
        this.endUser = endUserId instanceof String s && !s.isBlank() ? Optional.of(s) : user;
        Map<String, String> h = new LinkedHashMap<>();
        // The well-known secret headers never enter the pipeline's queues; the sink's policy does the rest.
        call.headers().forEach((k, v) -> h.put(k, RedactionPolicy.ALWAYS_REDACTED.contains(k) ? CallRecord.REDACTED : v));
        this.headers = h;
    }

    String id() {
        return id;
    }

    String model() {
        return model;
    }

    /** @return false for a call marked {@code no-log}: it makes no record and no event */
    boolean enabled() {
        return enabled;
    }

    ClientCall call() {
        return call;
    }

    List<Map<String, Object>> messages() {
        return messages;
    }

    long upstreamNanos() {
        return upstreamNanos;
    }

    void addUpstreamNanos(long nanos) {
        upstreamNanos += nanos;
    }

    @Override
    public void before(Deployment deployment) {
        lastDeployment = deployment;
        if (enabled) {
            sink.preApiCall(new PreApiCall(id, model, deployment.id(), call.callType(), messages, requestParams,
                    Instant.now()));
        }
    }

    @Override
    public void after(Deployment deployment, Instant start, Instant end, long nanos, UpstreamException error) {
        upstreamNanos += nanos;
        Attempt attempt = new Attempt(deployment.id(), deployment.provider().kind().wireName(),
                mocked ? Optional.empty() : deployment.provider().url(call.callType()), start, end,
                error == null ? CallStatus.SUCCESS : CallStatus.FAILURE,
                Optional.ofNullable(error).map(UpstreamException::toCallError));
        attempts.add(attempt);
        if (enabled) {
            sink.postApiCall(new PostApiCall(id, model, attempt));
        }
    }

    /** @param at when a streamed chunk that carried content was sent to the client */
    void contentChunk(Instant at) {
        lastTokenTime = at;
        outputChunks++;
    }

    void streamChunk(int index, String delta) {
        if (enabled) {
            sink.streamChunk(new StreamChunk(id, model, index, delta, Instant.now()));
        }
    }

    void success(Deployment deployment, String responseModel, ResponseContent response, Usage usage,
                 Optional<Cost> cost, Instant firstTokenTime) {
        lastDeployment = deployment;
        publish(base().success().responseModel(responseModel).response(response).usage(usage)
                .cost(cost.orElse(null)).firstTokenTime(firstTokenTime));
    }

    void failure(CallError error, Usage usage, Instant firstTokenTime) {
        publish(base().failure(error).usage(usage).firstTokenTime(firstTokenTime));
    }

    /** Makes this call end without a record (a refused request over {@code rejected_requests}' budget). */
    void skip() {
        published = true;
    }

    private CallRecord.Builder base() {
        Deployment d = lastDeployment;
        return CallRecord.builder()
                .id(id)
                .traceId(trace.traceId())
                .spanId(trace.spanId())
                .parentSpanId(trace.parentSpanId().orElse(null))
                .callType(call.callType())
                .requestPath(call.path())
                .stream(call.body().path("stream").asBoolean(false))
                .model(model)
                .modelGroup(d != null ? d.config().modelName() : model)
                .deployment(d != null ? d.id() : null)
                .provider(d != null ? d.provider().kind().wireName() : null)
                .apiBase(d != null ? d.provider().apiBase() : null)
                .upstreamModel(d != null ? d.config().upstreamModel() : null)
                .attempts(List.copyOf(attempts))
                .lastTokenTime(lastTokenTime)
                .outputChunks(outputChunks)
                .messages(messages)
                .requestParams(requestParams)
                .user(user.orElse(null))
                .endUser(endUser.orElse(null))
                .apiKey(call.apiKey().orElse(null))
                .clientIp(call.clientIp().orElse(null))
                .userAgent(call.headers().get("user-agent"))
                .metadata(metadata)
                .headers(headers)
                .proxy(proxy);
    }

    private void publish(CallRecord.Builder builder) {
        if (published) {
            return;
        }
        published = true;
        Instant end = Instant.now();
        long totalNanos = System.nanoTime() - call.startNanos();
        long upstream = upstreamNanos;
        builder.startTime(call.startTime())
                .endTime(end.isBefore(call.startTime()) ? call.startTime() : end)
                .upstreamLatencyMs(Duration.ofNanos(upstream).toMillis())
                .overheadMs(Math.max(0, Duration.ofNanos(totalNanos - upstream).toMillis()));
        if (enabled) {
            appended = sink.publish(builder.build());
        }
    }

    /**
     * Waits until the record is as durable as {@code general_settings.durability} asks: the response's
     * last byte waits for this. Bounded: a journal that cannot write delays no answer for long (the
     * journal counts and logs what it could not write).
     */
    void awaitJournaled() {
        Append a = appended;
        if (a == null || a.isDone()) {
            if (a != null) {
                check(a);
            }
            return;
        }
        long t0 = System.nanoTime();
        try {
            if (!a.await(JOURNAL_WAIT)) {
                WAIT_LOG.log(System.Logger.Level.WARNING, held -> "call " + id + ": its record was not journaled within "
                        + JOURNAL_WAIT.toSeconds() + " s; answering anyway" + ThrottledLog.heldBack(held));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JournalWriteException e) {
            // counted and logged by the journal
        }
        metrics.journalWait(System.nanoTime() - t0);
    }

    private static void check(Append a) {
        try {
            a.await(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JournalWriteException e) {
            // counted and logged by the journal
        }
    }

    /**
     * @param node a parsed JSON value
     * @return it as plain Java values (LinkedHashMap, ArrayList, String, the number's own class,
     *         Boolean, null), as {@code convertValue(node, Object.class)} would give without going
     *         through a token buffer
     */
    static Object plain(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>(Math.max(4, node.size() * 4 / 3 + 1));
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    m.put(e.getKey(), plain(e.getValue()));
                }
                yield m;
            }
            case ARRAY -> {
                List<Object> l = new ArrayList<>(node.size());
                for (JsonNode n : node) {
                    l.add(plain(n));
                }
                yield l;
            }
            case STRING -> node.textValue();
            case NUMBER -> node.numberValue();
            case BOOLEAN -> node.booleanValue();
            case NULL, MISSING -> null;
            case BINARY, POJO -> Json.MAPPER.convertValue(node, Object.class);
        };
    }
}
