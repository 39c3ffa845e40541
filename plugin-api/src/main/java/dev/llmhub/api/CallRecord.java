package dev.llmhub.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One client call through the proxy, normalized: the unit every destination receives.
 *
 * <p>Exactly one record exists per client call, whatever happened: success or failure, streamed or
 * not, retried or fallen back (the tries are in {@link #attempts()}). Records are immutable and
 * already redacted when a plugin sees them: secret headers read {@code [REDACTED]}, the caller's key
 * is only a hash, and message text is replaced when message logging is off for the destination.
 *
 * <p>The JSON form of a record (snake_case, documented with a full example in
 * {@code docs/call-record.md}) is what {@link PluginContext#toJson(Object)} produces. {@link #id()} is
 * unique and stable: destinations use it as their idempotency key so a retried export never creates
 * a second entry.
 *
 * <p>{@link #toString()} shows only the id and the status, so a record logged by mistake leaks
 * nothing.
 *
 * @param id                unique, stable id of the call (idempotency key)
 * @param schemaVersion     version of this record's shape, {@link #SCHEMA_VERSION}
 * @param traceId           W3C trace id (32 hex) — the caller's, when it sent {@code traceparent}
 * @param spanId            W3C span id (16 hex) of the proxy's span for this call
 * @param parentSpanId      the caller's span id from {@code traceparent}, when sent
 * @param callType          chat, completion, embedding, messages (Anthropic) or responses (OpenAI Responses)
 * @param requestPath       the URL path the client called, e.g. {@code /v1/chat/completions}
 * @param stream            whether the client asked for a stream
 * @param status            success or failure, as the client saw it
 * @param error             why it failed, present exactly when {@code status} is failure
 * @param model             the model name the client asked for (a model group's name or alias; what
 *                          the provider was asked for is {@code upstreamModel})
 * @param modelGroup        the configured {@code model_name} the request was routed to (the requested
 *                          name when it matched no group)
 * @param deployment        id of the deployment that answered (the last one tried on failure)
 * @param provider          provider of that deployment: openai, azure, mock…
 * @param apiBase           upstream base URL, stripped of query strings and credentials
 * @param upstreamModel     the model name sent to the provider: the configured model of the deployment
 *                          that answered (the last one tried on failure), without its provider prefix;
 *                          absent when no deployment was tried
 * @param responseModel     model name the provider reported
 * @param attempts          every upstream try, in order
 * @param messages          the request's messages (a completion's prompt or an embedding's input is
 *                          one {@code user} message); text replaced when message logging is off
 * @param response          what the client received, for a success
 * @param requestParams     the other request parameters (temperature, max_tokens, top_p, stop,
 *                          tools…), without messages, model, metadata or secrets
 * @param usage             token usage
 * @param cost              cost, when the model's prices are known
 * @param startTime         when the proxy received the request
 * @param endTime           when the proxy finished answering it
 * @param firstTokenTime    when the first streamed content chunk was sent (streams only)
 * @param lastTokenTime     when the last streamed content chunk was sent (streams only)
 * @param outputChunks      how many streamed chunks carried content (text or tool-call arguments);
 *                          0 when not streamed
 * @param upstreamLatencyMs time spent waiting on providers, all attempts together
 * @param overheadMs        time the proxy itself added: total minus upstream
 * @param user              the request body's {@code user} field
 * @param endUser           the end user the call was made for, when the client named one
 *                          ({@code metadata.end_user_id} or the body's {@code user})
 * @param apiKey            the caller's key, as a hash and alias — never the key
 * @param clientIp          the client's address
 * @param userAgent         the client's {@code User-Agent}
 * @param metadata          the request body's {@code metadata} object (tags, session_id,
 *                          trace_name, generation_name… as LiteLLM clients send it)
 * @param headers           the request headers, lower-case names, secrets redacted
 * @param proxy             the proxy instance that handled the call
 */
public record CallRecord(
        String id,
        int schemaVersion,
        String traceId,
        String spanId,
        Optional<String> parentSpanId,
        CallType callType,
        Optional<String> requestPath,
        boolean stream,
        CallStatus status,
        Optional<CallError> error,
        String model,
        String modelGroup,
        Optional<String> deployment,
        Optional<String> provider,
        Optional<String> apiBase,
        Optional<String> upstreamModel,
        Optional<String> responseModel,
        List<Attempt> attempts,
        List<Map<String, Object>> messages,
        Optional<ResponseContent> response,
        Map<String, Object> requestParams,
        Usage usage,
        Optional<Cost> cost,
        Instant startTime,
        Instant endTime,
        Optional<Instant> firstTokenTime,
        Optional<Instant> lastTokenTime,
        int outputChunks,
        long upstreamLatencyMs,
        long overheadMs,
        Optional<String> user,
        Optional<String> endUser,
        Optional<ApiKeyInfo> apiKey,
        Optional<String> clientIp,
        Optional<String> userAgent,
        Map<String, Object> metadata,
        Map<String, String> headers,
        ProxyInfo proxy) {

    /** The version of the record shape this API produces. */
    public static final int SCHEMA_VERSION = 1;

    /** Placeholder that replaces every redacted value. */
    public static final String REDACTED = "[REDACTED]";

    public CallRecord {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(traceId, "traceId is null");
        Objects.requireNonNull(spanId, "spanId is null");
        Objects.requireNonNull(parentSpanId, "parentSpanId is null");
        Objects.requireNonNull(callType, "callType is null");
        Objects.requireNonNull(requestPath, "requestPath is null");
        Objects.requireNonNull(status, "status is null");
        Objects.requireNonNull(error, "error is null");
        Objects.requireNonNull(model, "model is null");
        Objects.requireNonNull(modelGroup, "modelGroup is null");
        Objects.requireNonNull(deployment, "deployment is null");
        Objects.requireNonNull(provider, "provider is null");
        Objects.requireNonNull(apiBase, "apiBase is null");
        Objects.requireNonNull(upstreamModel, "upstreamModel is null");
        Objects.requireNonNull(responseModel, "responseModel is null");
        attempts = List.copyOf(Objects.requireNonNull(attempts, "attempts is null"));
        messages = JsonTrees.freezeListOfMaps(messages, "messages");
        Objects.requireNonNull(response, "response is null");
        requestParams = JsonTrees.freezeMap(requestParams, "requestParams");
        Objects.requireNonNull(usage, "usage is null");
        Objects.requireNonNull(cost, "cost is null");
        Objects.requireNonNull(startTime, "startTime is null");
        Objects.requireNonNull(endTime, "endTime is null");
        Objects.requireNonNull(firstTokenTime, "firstTokenTime is null");
        Objects.requireNonNull(lastTokenTime, "lastTokenTime is null");
        if (outputChunks < 0) {
            throw new IllegalArgumentException("outputChunks is negative");
        }
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(endUser, "endUser is null");
        Objects.requireNonNull(apiKey, "apiKey is null");
        Objects.requireNonNull(clientIp, "clientIp is null");
        Objects.requireNonNull(userAgent, "userAgent is null");
        metadata = JsonTrees.freezeMap(metadata, "metadata");
        headers = JsonTrees.freezeStrings(headers, "headers");
        Objects.requireNonNull(proxy, "proxy is null");
        if ((status == CallStatus.FAILURE) != error.isPresent()) {
            throw new IllegalArgumentException("error must be present exactly when status is failure");
        }
    }

    /** Total duration of the call as the client saw it, in milliseconds. */
    public long durationMs() {
        return java.time.Duration.between(startTime, endTime).toMillis();
    }

    /** A builder for a new record. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this record's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String toString() {
        return "CallRecord[id=" + id + ", status=" + status.wireName() + "]";
    }

    /** Builds {@link CallRecord}s; every optional value starts empty and every collection empty. */
    public static final class Builder {
        private String id;
        private int schemaVersion = SCHEMA_VERSION;
        private String traceId;
        private String spanId;
        private Optional<String> parentSpanId = Optional.empty();
        private CallType callType = CallType.CHAT;
        private Optional<String> requestPath = Optional.empty();
        private boolean stream;
        private CallStatus status = CallStatus.SUCCESS;
        private Optional<CallError> error = Optional.empty();
        private String model;
        private String modelGroup;
        private Optional<String> deployment = Optional.empty();
        private Optional<String> provider = Optional.empty();
        private Optional<String> apiBase = Optional.empty();
        private Optional<String> upstreamModel = Optional.empty();
        private Optional<String> responseModel = Optional.empty();
        private List<Attempt> attempts = new ArrayList<>();
        private List<Map<String, Object>> messages = new ArrayList<>();
        private Optional<ResponseContent> response = Optional.empty();
        private Map<String, Object> requestParams = new LinkedHashMap<>();
        private Usage usage = Usage.none();
        private Optional<Cost> cost = Optional.empty();
        private Instant startTime;
        private Instant endTime;
        private Optional<Instant> firstTokenTime = Optional.empty();
        private Optional<Instant> lastTokenTime = Optional.empty();
        private int outputChunks;
        private long upstreamLatencyMs;
        private long overheadMs;
        private Optional<String> user = Optional.empty();
        private Optional<String> endUser = Optional.empty();
        private Optional<ApiKeyInfo> apiKey = Optional.empty();
        private Optional<String> clientIp = Optional.empty();
        private Optional<String> userAgent = Optional.empty();
        private Map<String, Object> metadata = new LinkedHashMap<>();
        private Map<String, String> headers = new LinkedHashMap<>();
        private ProxyInfo proxy;

        private Builder() {
        }

        private Builder(CallRecord r) {
            id = r.id;
            schemaVersion = r.schemaVersion;
            traceId = r.traceId;
            spanId = r.spanId;
            parentSpanId = r.parentSpanId;
            callType = r.callType;
            requestPath = r.requestPath;
            stream = r.stream;
            status = r.status;
            error = r.error;
            model = r.model;
            modelGroup = r.modelGroup;
            deployment = r.deployment;
            provider = r.provider;
            apiBase = r.apiBase;
            upstreamModel = r.upstreamModel;
            responseModel = r.responseModel;
            attempts = r.attempts;
            messages = r.messages;
            response = r.response;
            requestParams = r.requestParams;
            usage = r.usage;
            cost = r.cost;
            startTime = r.startTime;
            endTime = r.endTime;
            firstTokenTime = r.firstTokenTime;
            lastTokenTime = r.lastTokenTime;
            outputChunks = r.outputChunks;
            upstreamLatencyMs = r.upstreamLatencyMs;
            overheadMs = r.overheadMs;
            user = r.user;
            endUser = r.endUser;
            apiKey = r.apiKey;
            clientIp = r.clientIp;
            userAgent = r.userAgent;
            metadata = r.metadata;
            headers = r.headers;
            proxy = r.proxy;
        }

        /** @param v see {@link CallRecord#id()} @return this */
        public Builder id(String v) { id = v; return this; }
        /** @param v see {@link CallRecord#schemaVersion()} @return this */
        public Builder schemaVersion(int v) { schemaVersion = v; return this; }
        /** @param v see {@link CallRecord#traceId()} @return this */
        public Builder traceId(String v) { traceId = v; return this; }
        /** @param v see {@link CallRecord#spanId()} @return this */
        public Builder spanId(String v) { spanId = v; return this; }
        /** @param v see {@link CallRecord#parentSpanId()}, may be null @return this */
        public Builder parentSpanId(String v) { parentSpanId = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#callType()} @return this */
        public Builder callType(CallType v) { callType = v; return this; }
        /** @param v see {@link CallRecord#requestPath()}, may be null @return this */
        public Builder requestPath(String v) { requestPath = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#stream()} @return this */
        public Builder stream(boolean v) { stream = v; return this; }
        /** Marks the call successful and clears any error. @return this */
        public Builder success() { status = CallStatus.SUCCESS; error = Optional.empty(); return this; }
        /** @param e why the call failed; marks it failed @return this */
        public Builder failure(CallError e) { status = CallStatus.FAILURE; error = Optional.of(Objects.requireNonNull(e, "error is null")); return this; }
        /** @param v see {@link CallRecord#model()} @return this */
        public Builder model(String v) { model = v; return this; }
        /** @param v see {@link CallRecord#modelGroup()} @return this */
        public Builder modelGroup(String v) { modelGroup = v; return this; }
        /** @param v see {@link CallRecord#deployment()}, may be null @return this */
        public Builder deployment(String v) { deployment = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#provider()}, may be null @return this */
        public Builder provider(String v) { provider = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#apiBase()}, may be null @return this */
        public Builder apiBase(String v) { apiBase = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#upstreamModel()}, may be null @return this */
        public Builder upstreamModel(String v) { upstreamModel = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#responseModel()}, may be null @return this */
        public Builder responseModel(String v) { responseModel = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#attempts()} @return this */
        public Builder attempts(List<Attempt> v) { attempts = v; return this; }
        /** @param v see {@link CallRecord#messages()} @return this */
        public Builder messages(List<Map<String, Object>> v) { messages = v; return this; }
        /** @param v see {@link CallRecord#response()}, may be null @return this */
        public Builder response(ResponseContent v) { response = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#requestParams()} @return this */
        public Builder requestParams(Map<String, Object> v) { requestParams = v; return this; }
        /** @param v see {@link CallRecord#usage()} @return this */
        public Builder usage(Usage v) { usage = v; return this; }
        /** @param v see {@link CallRecord#cost()}, may be null @return this */
        public Builder cost(Cost v) { cost = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#startTime()} @return this */
        public Builder startTime(Instant v) { startTime = v; return this; }
        /** @param v see {@link CallRecord#endTime()} @return this */
        public Builder endTime(Instant v) { endTime = v; return this; }
        /** @param v see {@link CallRecord#firstTokenTime()}, may be null @return this */
        public Builder firstTokenTime(Instant v) { firstTokenTime = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#lastTokenTime()}, may be null @return this */
        public Builder lastTokenTime(Instant v) { lastTokenTime = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#outputChunks()} @return this */
        public Builder outputChunks(int v) { outputChunks = v; return this; }
        /** @param v see {@link CallRecord#upstreamLatencyMs()} @return this */
        public Builder upstreamLatencyMs(long v) { upstreamLatencyMs = v; return this; }
        /** @param v see {@link CallRecord#overheadMs()} @return this */
        public Builder overheadMs(long v) { overheadMs = v; return this; }
        /** @param v see {@link CallRecord#user()}, may be null @return this */
        public Builder user(String v) { user = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#endUser()}, may be null @return this */
        public Builder endUser(String v) { endUser = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#apiKey()}, may be null @return this */
        public Builder apiKey(ApiKeyInfo v) { apiKey = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#clientIp()}, may be null @return this */
        public Builder clientIp(String v) { clientIp = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#userAgent()}, may be null @return this */
        public Builder userAgent(String v) { userAgent = Optional.ofNullable(v); return this; }
        /** @param v see {@link CallRecord#metadata()} @return this */
        public Builder metadata(Map<String, Object> v) { metadata = v; return this; }
        /** @param v see {@link CallRecord#headers()} @return this */
        public Builder headers(Map<String, String> v) { headers = v; return this; }
        /** @param v see {@link CallRecord#proxy()} @return this */
        public Builder proxy(ProxyInfo v) { proxy = v; return this; }

        /**
         * Builds the record.
         *
         * @return a new immutable record
         * @throws NullPointerException     when a required value (id, trace and span ids, model, model
         *                                  group, start and end time, proxy) is missing
         * @throws IllegalArgumentException when status and error disagree
         */
        public CallRecord build() {
            return new CallRecord(id, schemaVersion, traceId, spanId, parentSpanId, callType, requestPath,
                    stream, status, error, model, modelGroup, deployment, provider, apiBase, upstreamModel,
                    responseModel, attempts, messages, response, requestParams, usage, cost, startTime, endTime,
                    firstTokenTime, lastTokenTime, outputChunks, upstreamLatencyMs, overheadMs, user, endUser,
                    apiKey, clientIp, userAgent, metadata, headers, proxy);
        }
    }
}
