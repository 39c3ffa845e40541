package dev.llmhub.core.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.ApiKeyInfo;
import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallError;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Cost;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The call record's documented JSON form ({@code docs/call-record.md}): snake_case, every field
 * always present (absent values are {@code null}, empty collections are {@code []}/{@code {}}), times
 * as ISO-8601 UTC strings. Written field by field, not by reflection, so the wire form only changes
 * when this file (and the doc, and {@link CallRecord#SCHEMA_VERSION}) does.
 */
public final class CallRecordJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private CallRecordJson() {
    }

    /** @return the shared mapper, configured for JSON-like trees (maps, lists, scalars) */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Writes a call record, or any JSON-like tree (maps, lists, strings, numbers, booleans, null), as
     * compact JSON. This is what {@code PluginContext.toJson} does.
     *
     * @param value a {@link CallRecord} or a JSON-like value
     * @return compact JSON text
     */
    public static String write(Object value) {
        try {
            Object tree = value instanceof CallRecord r ? toTree(r) : value;
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @param r a record @return its documented JSON form as a tree */
    public static ObjectNode toTree(CallRecord r) {
        ObjectNode n = NODES.objectNode();
        n.put("id", r.id());
        n.put("schema_version", r.schemaVersion());
        n.put("trace_id", r.traceId());
        n.put("span_id", r.spanId());
        n.put("parent_span_id", r.parentSpanId().orElse(null));
        n.put("call_type", r.callType().wireName());
        n.put("request_path", r.requestPath().orElse(null));
        n.put("stream", r.stream());
        n.put("status", r.status().wireName());
        n.set("error", r.error().map(CallRecordJson::error).orElse(null));
        n.put("model", r.model());
        n.put("model_group", r.modelGroup());
        n.put("deployment", r.deployment().orElse(null));
        n.put("provider", r.provider().orElse(null));
        n.put("api_base", r.apiBase().orElse(null));
        n.put("upstream_model", r.upstreamModel().orElse(null));
        n.put("response_model", r.responseModel().orElse(null));
        ArrayNode attempts = n.putArray("attempts");
        r.attempts().forEach(a -> attempts.add(attempt(a)));
        n.set("messages", MAPPER.valueToTree(r.messages()));
        n.set("response", r.response().map(CallRecordJson::response).orElse(null));
        n.set("request_params", MAPPER.valueToTree(r.requestParams()));
        n.set("usage", usage(r.usage()));
        n.set("cost", r.cost().map(CallRecordJson::cost).orElse(null));
        n.put("start_time", time(r.startTime()));
        n.put("end_time", time(r.endTime()));
        n.put("first_token_time", r.firstTokenTime().map(CallRecordJson::time).orElse(null));
        n.put("last_token_time", r.lastTokenTime().map(CallRecordJson::time).orElse(null));
        n.put("output_chunks", r.outputChunks());
        n.put("duration_ms", r.durationMs());
        n.put("upstream_latency_ms", r.upstreamLatencyMs());
        n.put("overhead_ms", r.overheadMs());
        n.put("user", r.user().orElse(null));
        n.put("end_user", r.endUser().orElse(null));
        n.set("api_key", r.apiKey().map(CallRecordJson::apiKey).orElse(null));
        n.put("client_ip", r.clientIp().orElse(null));
        n.put("user_agent", r.userAgent().orElse(null));
        n.set("metadata", MAPPER.valueToTree(r.metadata()));
        n.set("headers", MAPPER.valueToTree(r.headers()));
        ObjectNode proxy = n.putObject("proxy");
        proxy.put("instance", r.proxy().instance());
        proxy.put("version", r.proxy().version());
        return n;
    }

    private static ObjectNode error(CallError e) {
        ObjectNode n = NODES.objectNode();
        n.put("type", e.type());
        n.put("message", e.message());
        n.put("http_status", e.httpStatus().orElse(null));
        n.put("provider_code", e.providerCode().orElse(null));
        n.put("retryable", e.retryable());
        return n;
    }

    private static ObjectNode attempt(Attempt a) {
        ObjectNode n = NODES.objectNode();
        n.put("deployment", a.deployment());
        n.put("provider", a.provider());
        n.put("url", a.url().orElse(null));
        n.put("status", a.status().wireName());
        n.put("start_time", time(a.startTime()));
        n.put("end_time", time(a.endTime()));
        n.put("latency_ms", a.latencyMs());
        n.set("error", a.error().map(CallRecordJson::error).orElse(null));
        return n;
    }

    private static ObjectNode response(ResponseContent c) {
        ObjectNode n = NODES.objectNode();
        n.put("id", c.id());
        n.put("created", c.created());
        n.set("choices", MAPPER.valueToTree(c.choices()));
        n.set("finish_reasons", MAPPER.valueToTree(c.finishReasons()));
        n.put("system_fingerprint", c.systemFingerprint().orElse(null));
        n.put("service_tier", c.serviceTier().orElse(null));
        return n;
    }

    private static ObjectNode usage(Usage u) {
        ObjectNode n = NODES.objectNode();
        n.put("prompt_tokens", u.promptTokens());
        n.put("completion_tokens", u.completionTokens());
        n.put("total_tokens", u.totalTokens());
        n.put("cached_tokens", u.cachedTokens());
        n.put("cache_creation_tokens", u.cacheCreationTokens());
        n.put("reasoning_tokens", u.reasoningTokens());
        n.put("source", u.source().wireName());
        return n;
    }

    private static ObjectNode cost(Cost c) {
        ObjectNode n = NODES.objectNode();
        n.put("input", c.input());
        n.put("output", c.output());
        n.put("total", c.total());
        n.put("currency", c.currency());
        n.put("source", c.source().wireName());
        return n;
    }

    private static ObjectNode apiKey(ApiKeyInfo k) {
        ObjectNode n = NODES.objectNode();
        n.put("hash", k.hash());
        n.put("alias", k.alias().orElse(null));
        return n;
    }

    private static String time(Instant t) {
        return t.toString();
    }

}
