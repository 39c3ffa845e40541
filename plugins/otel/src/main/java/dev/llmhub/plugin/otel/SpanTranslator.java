package dev.llmhub.plugin.otel;

import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallError;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Turns one call record into its span tree:
 * <pre>
 * SERVER  POST /chat/completions          id = record.spanId, parent = the caller's traceparent span
 *   CLIENT  chat gpt-4o                   GenAI inference span (first try's start to last try's end)
 *     CLIENT  attempt 1 gpt-4o-eu         one per upstream try, only when there was more than one
 *     CLIENT  attempt 2 gpt-4o-us
 * </pre>
 * Ids other than the record's own are derived from the record id ({@link DerivedIds}), so a retried
 * export sends the very same spans again.
 */
final class SpanTranslator {
    static final AttributeKey<String> CALL_ID = stringKey("llmhub.call.id");
    static final AttributeKey<String> CALL_TYPE = stringKey("llmhub.call.type");
    static final AttributeKey<String> MODEL_GROUP = stringKey("llmhub.model_group");
    static final AttributeKey<String> DEPLOYMENT = stringKey("llmhub.deployment");
    static final AttributeKey<Double> COST_TOTAL = doubleKey("llmhub.cost.total");
    static final AttributeKey<Double> COST_INPUT = doubleKey("llmhub.cost.input");
    static final AttributeKey<Double> COST_OUTPUT = doubleKey("llmhub.cost.output");
    static final AttributeKey<String> COST_CURRENCY = stringKey("llmhub.cost.currency");
    static final AttributeKey<String> USAGE_SOURCE = stringKey("llmhub.usage.source");
    static final AttributeKey<List<String>> TAGS = stringArrayKey("llmhub.metadata.tags");
    static final AttributeKey<String> API_KEY_HASH = stringKey("llmhub.api_key.hash");
    static final AttributeKey<String> API_KEY_ALIAS = stringKey("llmhub.api_key.alias");
    static final AttributeKey<Long> UPSTREAM_LATENCY = longKey("llmhub.upstream_latency_ms");
    static final AttributeKey<Long> OVERHEAD = longKey("llmhub.overhead_ms");
    static final AttributeKey<Long> ATTEMPT_NUMBER = longKey("llmhub.attempt.number");
    static final AttributeKey<Long> ATTEMPT_COUNT = longKey("llmhub.attempt.count");
    static final AttributeKey<Long> RESEND_COUNT = longKey("http.request.resend_count");
    static final AttributeKey<String> USER_ID = stringKey("user.id");
    static final AttributeKey<String> HTTP_METHOD = stringKey("http.request.method");
    static final AttributeKey<String> HTTP_ROUTE = stringKey("http.route");
    static final AttributeKey<Long> HTTP_STATUS = longKey("http.response.status_code");
    static final AttributeKey<String> CLIENT_ADDRESS = stringKey("client.address");
    static final AttributeKey<String> USER_AGENT = stringKey("user_agent.original");
    static final AttributeKey<String> ERROR_MESSAGE = stringKey("llmhub.error.message");

    static final String EVENT_REQUEST_INPUT = "llmhub.request.input";
    static final String EVENT_REQUEST_HEADERS = "llmhub.request.headers";

    /**
     * Header names whose values are credentials. The core redacts them before any plugin sees a
     * record; redacting again here means a core bug still cannot put a key on the wire.
     */
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "api-key",
            "x-api-key", "cookie", "set-cookie", "x-goog-api-key", "anthropic-api-key", "openai-api-key",
            "x-litellm-api-key", "ocp-apim-subscription-key");

    /** Names that announce a credential, in headers or metadata keys: redacted or left out here too. */
    private static final java.util.regex.Pattern SECRET_NAME = java.util.regex.Pattern.compile(
            "(?i).*(authorization|api[-_]?key|secret|password|cookie|(^|[-_])token($|[-_])).*");

    static boolean looksSecret(String name) {
        return SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) || SECRET_NAME.matcher(name).matches();
    }

    private final InstrumentationScopeInfo scope;
    private final Function<CallRecord, Resource> resources;
    private final Function<Object, String> json;
    private final boolean captureContent;

    SpanTranslator(InstrumentationScopeInfo scope, Function<CallRecord, Resource> resources,
                   Function<Object, String> json, boolean captureContent) {
        this.scope = scope;
        this.resources = resources;
        this.json = json;
        this.captureContent = captureContent;
    }

    /** @return the record's spans: server, client, and one per attempt when there were retries */
    List<SpanData> spans(CallRecord r) {
        Resource resource = resources.apply(r);
        String traceId = TraceId.isValid(r.traceId()) ? r.traceId() : DerivedIds.traceId(r.id());
        String serverId = SpanId.isValid(r.spanId()) ? r.spanId() : DerivedIds.spanId(r.id(), "server");
        SpanContext parent = r.parentSpanId().filter(SpanId::isValid)
                .map(p -> SpanContext.createFromRemoteParent(traceId, p, TraceFlags.getSampled(), TraceState.getDefault()))
                .orElse(SpanContext.getInvalid());
        SpanContext server = context(traceId, serverId);
        SpanContext client = context(traceId, DerivedIds.spanId(r.id(), "client"));

        List<SpanData> out = new ArrayList<>();
        out.add(new RecordSpan(serverSpanName(r), SpanKind.SERVER, server, parent, status(r.error()),
                nanos(r.startTime()), nanos(r.endTime()), serverAttributes(r), serverEvents(r), scope, resource));

        GenAi.Interval interval = GenAi.clientInterval(r);
        out.add(new RecordSpan(GenAi.operationName(r.callType()) + " " + r.model(), SpanKind.CLIENT, client, server,
                status(r.error()), nanos(interval.start()), nanos(interval.end()), clientAttributes(r), List.of(), scope, resource));

        if (r.attempts().size() > 1) {
            for (int i = 0; i < r.attempts().size(); i++) {
                Attempt a = r.attempts().get(i);
                SpanContext ctx = context(traceId, DerivedIds.spanId(r.id(), "attempt-" + i));
                out.add(new RecordSpan("attempt " + (i + 1) + " " + a.deployment(), SpanKind.CLIENT, ctx, client,
                        a.status() == CallStatus.FAILURE ? status(a.error().or(() -> r.error())) : StatusData.unset(),
                        nanos(a.startTime()), nanos(a.endTime()), attemptAttributes(r, a, i), List.of(), scope, resource));
            }
        }
        return out;
    }

    /** HTTP server span name: method and the route the call type came in on. */
    private static String serverSpanName(CallRecord r) {
        return "POST " + route(r);
    }

    private static String route(CallRecord r) {
        return switch (r.callType()) {
            case CHAT -> "/chat/completions";
            case COMPLETION -> "/completions";
            case EMBEDDING -> "/embeddings";
            case MESSAGES -> "/v1/messages";
            case RESPONSES -> "/v1/responses";
        };
    }

    private Attributes serverAttributes(CallRecord r) {
        AttributesBuilder b = Attributes.builder();
        b.put(HTTP_METHOD, "POST");
        b.put(HTTP_ROUTE, route(r));
        b.put(HTTP_STATUS, r.error().flatMap(CallError::httpStatus).map(Integer::longValue).orElse(
                r.status() == CallStatus.SUCCESS ? 200L : 500L));
        r.clientIp().ifPresent(v -> b.put(CLIENT_ADDRESS, v));
        r.userAgent().ifPresent(v -> b.put(USER_AGENT, v));
        commonAttributes(r, b);
        return b.build();
    }

    private Attributes clientAttributes(CallRecord r) {
        AttributesBuilder b = Attributes.builder();
        b.put(GenAi.OPERATION_NAME, GenAi.operationName(r.callType()));
        b.put(GenAi.PROVIDER_NAME, GenAi.providerName(r.provider()));
        b.put(GenAi.REQUEST_MODEL, r.model());
        GenAi.Server.of(r.apiBase()).ifPresent(s -> s.putInto(b));
        r.responseModel().ifPresent(v -> b.put(GenAi.RESPONSE_MODEL, v));
        r.response().ifPresent(resp -> {
            b.put(GenAi.RESPONSE_ID, resp.id());
            if (!resp.finishReasons().isEmpty()) {
                b.put(GenAi.RESPONSE_FINISH_REASONS, resp.finishReasons().stream().map(GenAi::finishReason).toList());
            }
        });
        b.put(GenAi.USAGE_INPUT_TOKENS, r.usage().promptTokens());
        if (r.callType() != dev.llmhub.api.CallType.EMBEDDING) {
            b.put(GenAi.USAGE_OUTPUT_TOKENS, r.usage().completionTokens());
        }
        if (r.usage().cachedTokens() > 0) {
            b.put(GenAi.USAGE_CACHE_READ_INPUT_TOKENS, r.usage().cachedTokens());
        }
        if (r.usage().reasoningTokens() > 0) {
            b.put(GenAi.USAGE_REASONING_OUTPUT_TOKENS, r.usage().reasoningTokens());
        }
        b.put(USAGE_SOURCE, r.usage().source().wireName());
        GenAi.putRequestParams(r, b);
        GenAi.timeToFirstChunk(r).ifPresent(s -> b.put(GenAi.RESPONSE_TIME_TO_FIRST_CHUNK, s));
        if (r.metadata().get("session_id") instanceof String session && !session.isBlank()) {
            b.put(GenAi.CONVERSATION_ID, session);
        }
        r.deployment().ifPresent(v -> b.put(DEPLOYMENT, v));
        b.put(MODEL_GROUP, r.modelGroup());
        b.put(ATTEMPT_COUNT, (long) r.attempts().size());
        r.cost().ifPresent(c -> {
            b.put(COST_TOTAL, c.total());
            b.put(COST_INPUT, c.input());
            b.put(COST_OUTPUT, c.output());
            b.put(COST_CURRENCY, c.currency());
        });
        if (captureContent) {
            if (!r.messages().isEmpty()) {
                b.put(GenAi.INPUT_MESSAGES, json.apply(MessageContent.input(r.messages())));
            }
            r.response().map(MessageContent::output).filter(l -> !l.isEmpty())
                    .ifPresent(out -> b.put(GenAi.OUTPUT_MESSAGES, json.apply(out)));
        }
        commonAttributes(r, b);
        return b.build();
    }

    private static Attributes attemptAttributes(CallRecord r, Attempt a, int index) {
        AttributesBuilder b = Attributes.builder();
        b.put(GenAi.OPERATION_NAME, GenAi.operationName(r.callType()));
        b.put(GenAi.PROVIDER_NAME, GenAi.providerName(Optional.of(a.provider())));
        b.put(GenAi.REQUEST_MODEL, r.model());
        b.put(DEPLOYMENT, a.deployment());
        b.put(ATTEMPT_NUMBER, (long) index + 1);
        if (index > 0) {
            b.put(RESEND_COUNT, (long) index);
        }
        a.error().ifPresent(e -> {
            b.put(GenAi.ERROR_TYPE, e.type());
            e.httpStatus().ifPresent(s -> b.put(HTTP_STATUS, (long) s));
        });
        b.put(CALL_ID, r.id());
        return b.build();
    }

    /** What both the server and the client span carry: who called, the record id, tags, error. */
    private static void commonAttributes(CallRecord r, AttributesBuilder b) {
        b.put(CALL_ID, r.id());
        b.put(CALL_TYPE, r.callType().wireName());
        r.endUser().or(r::user).filter(u -> !u.isBlank()).ifPresent(u -> b.put(USER_ID, u));
        r.apiKey().ifPresent(k -> {
            b.put(API_KEY_HASH, k.hash());
            k.alias().ifPresent(al -> b.put(API_KEY_ALIAS, al));
        });
        b.put(UPSTREAM_LATENCY, r.upstreamLatencyMs());
        b.put(OVERHEAD, r.overheadMs());
        r.error().ifPresent(e -> {
            b.put(GenAi.ERROR_TYPE, e.type());
            b.put(ERROR_MESSAGE, e.message());
        });
        metadata(r.metadata(), b);
    }

    /** Request metadata as {@code llmhub.metadata.*}: tags as a string array, other scalars as they are. */
    private static void metadata(Map<String, Object> metadata, AttributesBuilder b) {
        metadata.forEach((key, value) -> {
            if (looksSecret(key)) {
                return;
            }
            if (key.equals("tags")) {
                if (value instanceof List<?> l) {
                    b.put(TAGS, l.stream().filter(o -> o != null && !(o instanceof Map) && !(o instanceof List))
                            .map(Object::toString).toList());
                } else if (value instanceof String s) {
                    b.put(TAGS, List.of(s));
                }
                return;
            }
            String name = "llmhub.metadata." + key.toLowerCase(Locale.ROOT);
            if (value instanceof String s) {
                b.put(stringKey(name), s);
            } else if (value instanceof Boolean bool) {
                b.put(AttributeKey.booleanKey(name), bool);
            } else if (value instanceof Double || value instanceof Float) {
                b.put(doubleKey(name), ((Number) value).doubleValue());
            } else if (value instanceof Number n) {
                b.put(longKey(name), n.longValue());
            }
            // Nested objects and lists stay in the request input event: attributes should be flat.
        });
    }

    /** The seed's "Request Input" and "Request Headers" events, without the caller's key. */
    private List<EventData> serverEvents(CallRecord r) {
        long at = nanos(r.startTime());
        AttributesBuilder input = Attributes.builder();
        input.put("model", r.model());
        input.put("call_type", r.callType().wireName());
        input.put("stream", r.stream());
        if (!r.requestParams().isEmpty()) {
            input.put("request_params", json.apply(r.requestParams()));
        }
        Map<String, Object> metadata = new java.util.LinkedHashMap<>(r.metadata());
        metadata.keySet().removeIf(SpanTranslator::looksSecret);
        if (!metadata.isEmpty()) {
            input.put("metadata", json.apply(metadata));
        }
        if (captureContent && !r.messages().isEmpty()) {
            input.put("messages", json.apply(r.messages()));
        }
        AttributesBuilder headers = Attributes.builder();
        r.headers().forEach((name, value) -> headers.put(name,
                looksSecret(name) ? CallRecord.REDACTED : value));
        return List.of(EventData.create(at, EVENT_REQUEST_INPUT, input.build()),
                EventData.create(at, EVENT_REQUEST_HEADERS, headers.build()));
    }

    private static StatusData status(Optional<CallError> error) {
        return error.map(e -> StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR, e.type() + ": " + e.message()))
                .orElse(StatusData.unset());
    }

    private static SpanContext context(String traceId, String spanId) {
        return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
    }

    static long nanos(Instant t) {
        return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
    }

    static double seconds(Instant from, Instant to) {
        return (nanos(to) - nanos(from)) / 1e9;
    }
}
