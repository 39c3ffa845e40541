package dev.llmhub.core.record;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.llmhub.api.ApiKeyInfo;
import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallError;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Cost;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import dev.llmhub.core.provider.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The call record's documented JSON form ({@code docs/call-record.md}): snake_case, every field
 * always present (absent values are {@code null}, empty collections are {@code []}/{@code {}}), times
 * as ISO-8601 UTC strings. Written field by field with a streaming generator, not by reflection, so
 * the wire form only changes when this file (and the doc, and {@link CallRecord#SCHEMA_VERSION})
 * does. {@link #write(JsonGenerator, CallRecord)} is the one field list: {@link #write(Object)},
 * {@link #toTree} and the journal's codec all go through it.
 *
 * <p>{@link #read} is its inverse. It ignores fields it does not know (a newer writer may add some
 * within a schema version) and derived fields ({@code duration_ms}, {@code latency_ms}). A new field
 * is one line in {@code write} and one {@code case} in {@code read}. JSON-like content (messages,
 * choices, request parameters, metadata) comes back as Jackson's natural types: {@link LinkedHashMap},
 * {@link ArrayList}, {@link String}, {@link Integer}/{@link Long}/{@link java.math.BigInteger},
 * {@link Double}, {@link Boolean}, {@code null} — what the request path parsed in the first place.
 */
public final class CallRecordJson {
    private static final ObjectMapper MAPPER = Json.MAPPER;
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    /** Reads stored JSON back as it was: a float is a {@link Double}, as the record's writer wrote it. */
    private static final ObjectReader READER = MAPPER.reader().without(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final ObjectReader VALUES = READER.forType(Object.class);

    private CallRecordJson() {
    }

    /** @return the core's one mapper ({@link Json#MAPPER}), for JSON-like trees (maps, lists, scalars) */
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
            if (value instanceof CallRecord r) {
                byte[] journaled = EncodedRecords.lent(r);
                return new String(journaled != null ? journaled : bytes(r), StandardCharsets.UTF_8);
            }
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @param r a record @return its documented JSON form, UTF-8 */
    public static byte[] bytes(CallRecord r) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(2048)) {
            try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                write(g, r);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a call record: " + e.getMessage(), e);
        }
    }

    /** @param r a record @return its documented JSON form as a tree */
    public static ObjectNode toTree(CallRecord r) {
        try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
            write(buffer, r);
            return READER.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the tree of a call record: " + e.getMessage(), e);
        }
    }

    /**
     * Writes one record as a JSON object: the one list of fields, in the documented order.
     *
     * @param g a generator (JSON, or another Jackson format)
     * @param r the record
     * @throws IOException when the generator fails
     */
    public static void write(JsonGenerator g, CallRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", r.id());
        g.writeNumberField("schema_version", r.schemaVersion());
        g.writeStringField("trace_id", r.traceId());
        g.writeStringField("span_id", r.spanId());
        string(g, "parent_span_id", r.parentSpanId());
        g.writeStringField("call_type", r.callType().wireName());
        string(g, "request_path", r.requestPath());
        g.writeBooleanField("stream", r.stream());
        g.writeStringField("status", r.status().wireName());
        g.writeFieldName("error");
        error(g, r.error());
        g.writeStringField("model", r.model());
        g.writeStringField("model_group", r.modelGroup());
        string(g, "deployment", r.deployment());
        string(g, "provider", r.provider());
        string(g, "api_base", r.apiBase());
        string(g, "upstream_model", r.upstreamModel());
        string(g, "response_model", r.responseModel());
        g.writeArrayFieldStart("attempts");
        for (Attempt a : r.attempts()) {
            attempt(g, a);
        }
        g.writeEndArray();
        g.writeFieldName("messages");
        tree(g, r.messages());
        g.writeFieldName("response");
        response(g, r.response());
        g.writeFieldName("request_params");
        tree(g, r.requestParams());
        usage(g, r.usage());
        cost(g, r.cost());
        g.writeStringField("start_time", r.startTime().toString());
        g.writeStringField("end_time", r.endTime().toString());
        string(g, "first_token_time", r.firstTokenTime().map(Instant::toString));
        string(g, "last_token_time", r.lastTokenTime().map(Instant::toString));
        g.writeNumberField("output_chunks", r.outputChunks());
        g.writeNumberField("duration_ms", r.durationMs());
        g.writeNumberField("upstream_latency_ms", r.upstreamLatencyMs());
        g.writeNumberField("overhead_ms", r.overheadMs());
        string(g, "user", r.user());
        string(g, "end_user", r.endUser());
        g.writeFieldName("api_key");
        if (r.apiKey().isPresent()) {
            ApiKeyInfo k = r.apiKey().get();
            g.writeStartObject();
            g.writeStringField("hash", k.hash());
            string(g, "alias", k.alias());
            g.writeEndObject();
        } else {
            g.writeNull();
        }
        string(g, "client_ip", r.clientIp());
        string(g, "user_agent", r.userAgent());
        g.writeFieldName("metadata");
        tree(g, r.metadata());
        g.writeFieldName("headers");
        tree(g, r.headers());
        g.writeObjectFieldStart("proxy");
        g.writeStringField("instance", r.proxy().instance());
        g.writeStringField("version", r.proxy().version());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String name, Optional<String> value) throws IOException {
        g.writeFieldName(name);
        if (value.isPresent()) {
            g.writeString(value.get());
        } else {
            g.writeNull();
        }
    }

    private static void error(JsonGenerator g, Optional<CallError> error) throws IOException {
        if (error.isEmpty()) {
            g.writeNull();
            return;
        }
        CallError e = error.get();
        g.writeStartObject();
        g.writeStringField("type", e.type());
        g.writeStringField("message", e.message());
        g.writeFieldName("http_status");
        if (e.httpStatus().isPresent()) {
            g.writeNumber(e.httpStatus().get());
        } else {
            g.writeNull();
        }
        string(g, "provider_code", e.providerCode());
        g.writeBooleanField("retryable", e.retryable());
        g.writeEndObject();
    }

    private static void attempt(JsonGenerator g, Attempt a) throws IOException {
        g.writeStartObject();
        g.writeStringField("deployment", a.deployment());
        g.writeStringField("provider", a.provider());
        string(g, "url", a.url());
        g.writeStringField("status", a.status().wireName());
        g.writeStringField("start_time", a.startTime().toString());
        g.writeStringField("end_time", a.endTime().toString());
        g.writeNumberField("latency_ms", a.latencyMs());
        g.writeFieldName("error");
        error(g, a.error());
        g.writeEndObject();
    }

    private static void response(JsonGenerator g, Optional<ResponseContent> response) throws IOException {
        if (response.isEmpty()) {
            g.writeNull();
            return;
        }
        ResponseContent c = response.get();
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeNumberField("created", c.created());
        g.writeFieldName("choices");
        tree(g, c.choices());
        g.writeFieldName("finish_reasons");
        tree(g, c.finishReasons());
        string(g, "system_fingerprint", c.systemFingerprint());
        string(g, "service_tier", c.serviceTier());
        g.writeEndObject();
    }

    private static void usage(JsonGenerator g, Usage u) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", u.promptTokens());
        g.writeNumberField("completion_tokens", u.completionTokens());
        g.writeNumberField("total_tokens", u.totalTokens());
        g.writeNumberField("cached_tokens", u.cachedTokens());
        g.writeNumberField("reasoning_tokens", u.reasoningTokens());
        g.writeNumberField("cache_creation_tokens", u.cacheCreationTokens());
        g.writeStringField("source", u.source().wireName());
        g.writeEndObject();
    }

    private static void cost(JsonGenerator g, Optional<Cost> cost) throws IOException {
        g.writeFieldName("cost");
        if (cost.isEmpty()) {
            g.writeNull();
            return;
        }
        Cost c = cost.get();
        g.writeStartObject();
        g.writeNumberField("input", c.input());
        g.writeNumberField("output", c.output());
        g.writeNumberField("total", c.total());
        g.writeStringField("currency", c.currency());
        g.writeStringField("source", c.source().wireName());
        g.writeEndObject();
    }

    /** Writes a JSON-like value; anything else goes through the mapper (as {@code valueToTree} did). */
    private static void tree(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    tree(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) {
                    tree(g, o);
                }
                g.writeEndArray();
            }
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case Boolean b -> g.writeBoolean(b);
            default -> MAPPER.writeValue(g, value);
        }
    }

    // ---- reading -------------------------------------------------------------------------------

    /**
     * Reads a record written by {@link #write(JsonGenerator, CallRecord)}.
     *
     * @param json the record's JSON, UTF-8
     * @return an equal record
     * @throws IllegalArgumentException when the bytes are not a call record (with the reason)
     */
    public static CallRecord read(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            p.nextToken();
            return read(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a call record: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one record object; the parser stands on its {@code START_OBJECT} and is left on its
     * {@code END_OBJECT}.
     *
     * @param p a parser (JSON, or another Jackson format)
     * @return the record
     * @throws IOException              when the parser fails
     * @throws IllegalArgumentException when the object is not a call record (with the reason)
     */
    public static CallRecord read(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "record");
        CallRecord.Builder b = CallRecord.builder();
        CallStatus status = null;
        CallError error = null;
        Instant start = null;
        Instant end = null;
        try {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> b.id(p.getText());
                    case "schema_version" -> b.schemaVersion(p.getIntValue());
                    case "trace_id" -> b.traceId(p.getText());
                    case "span_id" -> b.spanId(p.getText());
                    case "parent_span_id" -> b.parentSpanId(text(p));
                    case "call_type" -> b.callType(callType(p.getText()));
                    case "request_path" -> b.requestPath(text(p));
                    case "stream" -> b.stream(p.getBooleanValue());
                    case "status" -> status = status(p.getText());
                    case "error" -> error = t == JsonToken.VALUE_NULL ? null : error(p);
                    case "model" -> b.model(p.getText());
                    case "model_group" -> b.modelGroup(p.getText());
                    case "deployment" -> b.deployment(text(p));
                    case "provider" -> b.provider(text(p));
                    case "api_base" -> b.apiBase(text(p));
                    case "upstream_model" -> b.upstreamModel(text(p));
                    case "response_model" -> b.responseModel(text(p));
                    case "attempts" -> b.attempts(attempts(p));
                    case "messages" -> b.messages(listOfMaps(p, "messages"));
                    case "response" -> b.response(t == JsonToken.VALUE_NULL ? null : response(p));
                    case "request_params" -> b.requestParams(map(p, "request_params"));
                    case "usage" -> b.usage(usage(p));
                    case "cost" -> b.cost(t == JsonToken.VALUE_NULL ? null : cost(p));
                    case "start_time" -> start = time(p.getText(), field);
                    case "end_time" -> end = time(p.getText(), field);
                    case "first_token_time" -> b.firstTokenTime(t == JsonToken.VALUE_NULL ? null : time(p.getText(), field));
                    case "last_token_time" -> b.lastTokenTime(t == JsonToken.VALUE_NULL ? null : time(p.getText(), field));
                    case "output_chunks" -> b.outputChunks(p.getIntValue());
                    case "upstream_latency_ms" -> b.upstreamLatencyMs(p.getLongValue());
                    case "overhead_ms" -> b.overheadMs(p.getLongValue());
                    case "user" -> b.user(text(p));
                    case "end_user" -> b.endUser(text(p));
                    case "api_key" -> b.apiKey(t == JsonToken.VALUE_NULL ? null : apiKey(p));
                    case "client_ip" -> b.clientIp(text(p));
                    case "user_agent" -> b.userAgent(text(p));
                    case "metadata" -> b.metadata(map(p, "metadata"));
                    case "headers" -> b.headers(headers(p));
                    case "proxy" -> b.proxy(proxy(p));
                    default -> p.skipChildren(); // derived (duration_ms) or newer than this reader
                }
            }
            b.startTime(start).endTime(end);
            if (status == null) {
                throw new IllegalArgumentException("not a call record: status is missing");
            }
            if ((status == CallStatus.FAILURE) != (error != null)) {
                throw new IllegalArgumentException("not a call record: error must be present exactly when status is failure");
            }
            if (error != null) {
                b.failure(error);
            }
            return b.build();
        } catch (NullPointerException | IllegalStateException e) {
            throw new IllegalArgumentException("not a call record: " + e.getMessage(), e);
        }
    }

    private static String text(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : p.getText();
    }

    private static CallError error(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "error");
        String type = null;
        String message = null;
        Integer http = null;
        String code = null;
        boolean retryable = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "type" -> type = p.getText();
                case "message" -> message = p.getText();
                case "http_status" -> http = t == JsonToken.VALUE_NULL ? null : p.getIntValue();
                case "provider_code" -> code = text(p);
                case "retryable" -> retryable = p.getBooleanValue();
                default -> p.skipChildren();
            }
        }
        return new CallError(type, message, Optional.ofNullable(http), Optional.ofNullable(code), retryable);
    }

    private static List<Attempt> attempts(JsonParser p) throws IOException {
        expect(p, JsonToken.START_ARRAY, "attempts");
        List<Attempt> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String deployment = null;
            String provider = null;
            String url = null;
            CallStatus status = null;
            Instant start = null;
            Instant end = null;
            CallError error = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "deployment" -> deployment = p.getText();
                    case "provider" -> provider = p.getText();
                    case "url" -> url = text(p);
                    case "status" -> status = status(p.getText());
                    case "start_time" -> start = time(p.getText(), "attempts.start_time");
                    case "end_time" -> end = time(p.getText(), "attempts.end_time");
                    case "error" -> error = t == JsonToken.VALUE_NULL ? null : error(p);
                    default -> p.skipChildren(); // latency_ms is derived
                }
            }
            out.add(new Attempt(deployment, provider, Optional.ofNullable(url), start, end, status,
                    Optional.ofNullable(error)));
        }
        return out;
    }

    private static ResponseContent response(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "response");
        String id = null;
        long created = 0;
        List<Map<String, Object>> choices = List.of();
        List<String> finishReasons = List.of();
        String fingerprint = null;
        String serviceTier = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "id" -> id = p.getText();
                case "created" -> created = p.getLongValue();
                case "choices" -> choices = listOfMaps(p, "response.choices");
                case "finish_reasons" -> {
                    expect(p, JsonToken.START_ARRAY, "response.finish_reasons");
                    List<String> reasons = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        reasons.add(p.getText());
                    }
                    finishReasons = reasons;
                }
                case "system_fingerprint" -> fingerprint = text(p);
                case "service_tier" -> serviceTier = text(p);
                default -> p.skipChildren();
            }
        }
        return new ResponseContent(id, created, choices, finishReasons, Optional.ofNullable(fingerprint),
                Optional.ofNullable(serviceTier));
    }

    private static Usage usage(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "usage");
        long prompt = 0;
        long completion = 0;
        long total = 0;
        long cached = 0;
        long reasoning = 0;
        long cacheCreation = 0;
        Usage.Source source = Usage.Source.ESTIMATED;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "prompt_tokens" -> prompt = p.getLongValue();
                case "completion_tokens" -> completion = p.getLongValue();
                case "total_tokens" -> total = p.getLongValue();
                case "cached_tokens" -> cached = p.getLongValue();
                case "reasoning_tokens" -> reasoning = p.getLongValue();
                case "cache_creation_tokens" -> cacheCreation = p.getLongValue();
                case "source" -> source = wire(Usage.Source.values(), p.getText(), Usage.Source::wireName, "usage.source");
                default -> p.skipChildren();
            }
        }
        return new Usage(prompt, completion, total, cached, reasoning, cacheCreation, source);
    }

    private static Cost cost(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "cost");
        double input = 0;
        double output = 0;
        double total = 0;
        String currency = null;
        Cost.Source source = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "input" -> input = p.getDoubleValue();
                case "output" -> output = p.getDoubleValue();
                case "total" -> total = p.getDoubleValue();
                case "currency" -> currency = p.getText();
                case "source" -> source = wire(Cost.Source.values(), p.getText(), Cost.Source::wireName, "cost.source");
                default -> p.skipChildren();
            }
        }
        return new Cost(input, output, total, currency, source);
    }

    private static ApiKeyInfo apiKey(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "api_key");
        String hash = null;
        String alias = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "hash" -> hash = p.getText();
                case "alias" -> alias = text(p);
                default -> p.skipChildren();
            }
        }
        return new ApiKeyInfo(hash, Optional.ofNullable(alias));
    }

    private static ProxyInfo proxy(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "proxy");
        String instance = null;
        String version = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "instance" -> instance = p.getText();
                case "version" -> version = p.getText();
                default -> p.skipChildren();
            }
        }
        return new ProxyInfo(instance, version);
    }

    private static Map<String, String> headers(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "headers");
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            out.put(name, text(p));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonParser p, String field) throws IOException {
        expect(p, JsonToken.START_OBJECT, field);
        return (Map<String, Object>) VALUES.readValue(p);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listOfMaps(JsonParser p, String field) throws IOException {
        expect(p, JsonToken.START_ARRAY, field);
        List<Map<String, Object>> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p, JsonToken.START_OBJECT, field + "[]");
            out.add((Map<String, Object>) VALUES.readValue(p));
        }
        return out;
    }

    private static void expect(JsonParser p, JsonToken token, String field) {
        if (p.currentToken() != token) {
            throw new IllegalArgumentException("not a call record: " + field + " is " + p.currentToken()
                    + ", expected " + token);
        }
    }

    private static Instant time(String text, String field) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a call record: " + field + " is not an ISO-8601 time", e);
        }
    }

    private static CallType callType(String wire) {
        return wire(CallType.values(), wire, CallType::wireName, "call_type");
    }

    private static CallStatus status(String wire) {
        return wire(CallStatus.values(), wire, CallStatus::wireName, "status");
    }

    private static <E> E wire(E[] values, String wire, java.util.function.Function<E, String> name, String field) {
        for (E e : values) {
            if (name.apply(e).equals(wire)) {
                return e;
            }
        }
        throw new IllegalArgumentException("not a call record: unknown " + field + " '" + wire + "'");
    }
}
