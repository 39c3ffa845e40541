package dev.llmhub.core.record;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
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
import dev.llmhub.plugin.kit.TreeJson;
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
    // The field names, quoted and encoded once: writing names char by char was most of the encoding
    // (docs/performance.md, the file row's profile).
    private static final SerializableString PARENT_SPAN_ID = new SerializedString("parent_span_id");
    private static final SerializableString REQUEST_PATH = new SerializedString("request_path");
    private static final SerializableString DEPLOYMENT = new SerializedString("deployment");
    private static final SerializableString PROVIDER = new SerializedString("provider");
    private static final SerializableString API_BASE = new SerializedString("api_base");
    private static final SerializableString UPSTREAM_MODEL = new SerializedString("upstream_model");
    private static final SerializableString RESPONSE_MODEL = new SerializedString("response_model");
    private static final SerializableString FIRST_TOKEN_TIME = new SerializedString("first_token_time");
    private static final SerializableString LAST_TOKEN_TIME = new SerializedString("last_token_time");
    private static final SerializableString USER = new SerializedString("user");
    private static final SerializableString END_USER = new SerializedString("end_user");
    private static final SerializableString ALIAS = new SerializedString("alias");
    private static final SerializableString CLIENT_IP = new SerializedString("client_ip");
    private static final SerializableString USER_AGENT = new SerializedString("user_agent");
    private static final SerializableString PROVIDER_CODE = new SerializedString("provider_code");
    private static final SerializableString URL = new SerializedString("url");
    private static final SerializableString SYSTEM_FINGERPRINT = new SerializedString("system_fingerprint");
    private static final SerializableString SERVICE_TIER = new SerializedString("service_tier");
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString TRACE_ID = new SerializedString("trace_id");
    private static final SerializableString SPAN_ID = new SerializedString("span_id");
    private static final SerializableString CALL_TYPE = new SerializedString("call_type");
    private static final SerializableString STATUS = new SerializedString("status");
    private static final SerializableString MODEL = new SerializedString("model");
    private static final SerializableString MODEL_GROUP = new SerializedString("model_group");
    private static final SerializableString START_TIME = new SerializedString("start_time");
    private static final SerializableString END_TIME = new SerializedString("end_time");
    private static final SerializableString HASH = new SerializedString("hash");
    private static final SerializableString INSTANCE = new SerializedString("instance");
    private static final SerializableString VERSION = new SerializedString("version");
    private static final SerializableString TYPE = new SerializedString("type");
    private static final SerializableString MESSAGE = new SerializedString("message");
    private static final SerializableString SOURCE = new SerializedString("source");
    private static final SerializableString CURRENCY = new SerializedString("currency");
    private static final SerializableString SCHEMA_VERSION = new SerializedString("schema_version");
    private static final SerializableString OUTPUT_CHUNKS = new SerializedString("output_chunks");
    private static final SerializableString DURATION_MS = new SerializedString("duration_ms");
    private static final SerializableString UPSTREAM_LATENCY_MS = new SerializedString("upstream_latency_ms");
    private static final SerializableString OVERHEAD_MS = new SerializedString("overhead_ms");
    private static final SerializableString LATENCY_MS = new SerializedString("latency_ms");
    private static final SerializableString CREATED = new SerializedString("created");
    private static final SerializableString PROMPT_TOKENS = new SerializedString("prompt_tokens");
    private static final SerializableString COMPLETION_TOKENS = new SerializedString("completion_tokens");
    private static final SerializableString TOTAL_TOKENS = new SerializedString("total_tokens");
    private static final SerializableString CACHED_TOKENS = new SerializedString("cached_tokens");
    private static final SerializableString REASONING_TOKENS = new SerializedString("reasoning_tokens");
    private static final SerializableString CACHE_CREATION_TOKENS = new SerializedString("cache_creation_tokens");
    private static final SerializableString INPUT = new SerializedString("input");
    private static final SerializableString OUTPUT = new SerializedString("output");
    private static final SerializableString TOTAL = new SerializedString("total");
    private static final SerializableString STREAM = new SerializedString("stream");
    private static final SerializableString RETRYABLE = new SerializedString("retryable");
    private static final SerializableString ERROR = new SerializedString("error");
    private static final SerializableString MESSAGES = new SerializedString("messages");
    private static final SerializableString RESPONSE = new SerializedString("response");
    private static final SerializableString REQUEST_PARAMS = new SerializedString("request_params");
    private static final SerializableString API_KEY = new SerializedString("api_key");
    private static final SerializableString METADATA = new SerializedString("metadata");
    private static final SerializableString HEADERS = new SerializedString("headers");
    private static final SerializableString HTTP_STATUS = new SerializedString("http_status");
    private static final SerializableString CHOICES = new SerializedString("choices");
    private static final SerializableString FINISH_REASONS = new SerializedString("finish_reasons");
    private static final SerializableString COST = new SerializedString("cost");
    private static final SerializableString PROXY = new SerializedString("proxy");
    private static final SerializableString USAGE = new SerializedString("usage");
    private static final SerializableString ATTEMPTS = new SerializedString("attempts");

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
        byte[] journaled = lent(value);
        return new String(journaled != null ? journaled : encode(value), StandardCharsets.UTF_8);
    }

    /**
     * {@link #write(Object)} as UTF-8 bytes ({@code PluginContext.toJsonUtf8}).
     *
     * @param value a record, or a JSON-like tree
     * @return compact JSON; a copy of the journal's bytes for a record lent by {@link EncodedRecords}, since
     *     other lanes read the same array
     */
    public static byte[] utf8(Object value) {
        byte[] journaled = lent(value);
        return journaled != null ? journaled.clone() : encode(value);
    }

    private static byte[] lent(Object value) {
        return value instanceof CallRecord r ? EncodedRecords.lent(r) : null;
    }

    private static byte[] encode(Object value) {
        // Trees are walked (TreeJson): the mapper looked up a serializer for every value, which showed in
        // the otel lane's profile (its message attributes go through PluginContext.toJson).
        return value instanceof CallRecord r ? bytes(r) : TreeJson.bytes(MAPPER, value);
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
        field(g, ID, r.id());
        field(g, SCHEMA_VERSION, r.schemaVersion());
        field(g, TRACE_ID, r.traceId());
        field(g, SPAN_ID, r.spanId());
        string(g, PARENT_SPAN_ID, r.parentSpanId());
        field(g, CALL_TYPE, r.callType().wireName());
        string(g, REQUEST_PATH, r.requestPath());
        field(g, STREAM, r.stream());
        field(g, STATUS, r.status().wireName());
        g.writeFieldName(ERROR);
        error(g, r.error());
        field(g, MODEL, r.model());
        field(g, MODEL_GROUP, r.modelGroup());
        string(g, DEPLOYMENT, r.deployment());
        string(g, PROVIDER, r.provider());
        string(g, API_BASE, r.apiBase());
        string(g, UPSTREAM_MODEL, r.upstreamModel());
        string(g, RESPONSE_MODEL, r.responseModel());
        g.writeFieldName(ATTEMPTS);
        g.writeStartArray();
        for (Attempt a : r.attempts()) {
            attempt(g, a);
        }
        g.writeEndArray();
        g.writeFieldName(MESSAGES);
        TreeJson.write(g, r.messages());
        g.writeFieldName(RESPONSE);
        response(g, r.response());
        g.writeFieldName(REQUEST_PARAMS);
        TreeJson.write(g, r.requestParams());
        usage(g, r.usage());
        cost(g, r.cost());
        field(g, START_TIME, IsoInstant.format(r.startTime()));
        field(g, END_TIME, IsoInstant.format(r.endTime()));
        string(g, FIRST_TOKEN_TIME, r.firstTokenTime().map(IsoInstant::format));
        string(g, LAST_TOKEN_TIME, r.lastTokenTime().map(IsoInstant::format));
        field(g, OUTPUT_CHUNKS, r.outputChunks());
        field(g, DURATION_MS, r.durationMs());
        field(g, UPSTREAM_LATENCY_MS, r.upstreamLatencyMs());
        field(g, OVERHEAD_MS, r.overheadMs());
        string(g, USER, r.user());
        string(g, END_USER, r.endUser());
        g.writeFieldName(API_KEY);
        if (r.apiKey().isPresent()) {
            ApiKeyInfo k = r.apiKey().get();
            g.writeStartObject();
            field(g, HASH, k.hash());
            string(g, ALIAS, k.alias());
            g.writeEndObject();
        } else {
            g.writeNull();
        }
        string(g, CLIENT_IP, r.clientIp());
        string(g, USER_AGENT, r.userAgent());
        g.writeFieldName(METADATA);
        TreeJson.write(g, r.metadata());
        g.writeFieldName(HEADERS);
        TreeJson.write(g, r.headers());
        g.writeFieldName(PROXY);
        g.writeStartObject();
        field(g, INSTANCE, r.proxy().instance());
        field(g, VERSION, r.proxy().version());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializableString name, Optional<String> value) throws IOException {
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
        field(g, TYPE, e.type());
        field(g, MESSAGE, e.message());
        g.writeFieldName(HTTP_STATUS);
        if (e.httpStatus().isPresent()) {
            g.writeNumber(e.httpStatus().get());
        } else {
            g.writeNull();
        }
        string(g, PROVIDER_CODE, e.providerCode());
        field(g, RETRYABLE, e.retryable());
        g.writeEndObject();
    }

    private static void attempt(JsonGenerator g, Attempt a) throws IOException {
        g.writeStartObject();
        field(g, DEPLOYMENT, a.deployment());
        field(g, PROVIDER, a.provider());
        string(g, URL, a.url());
        field(g, STATUS, a.status().wireName());
        field(g, START_TIME, IsoInstant.format(a.startTime()));
        field(g, END_TIME, IsoInstant.format(a.endTime()));
        field(g, LATENCY_MS, a.latencyMs());
        g.writeFieldName(ERROR);
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
        field(g, ID, c.id());
        field(g, CREATED, c.created());
        g.writeFieldName(CHOICES);
        TreeJson.write(g, c.choices());
        g.writeFieldName(FINISH_REASONS);
        TreeJson.write(g, c.finishReasons());
        string(g, SYSTEM_FINGERPRINT, c.systemFingerprint());
        string(g, SERVICE_TIER, c.serviceTier());
        g.writeEndObject();
    }

    private static void usage(JsonGenerator g, Usage u) throws IOException {
        g.writeFieldName(USAGE);
        g.writeStartObject();
        field(g, PROMPT_TOKENS, u.promptTokens());
        field(g, COMPLETION_TOKENS, u.completionTokens());
        field(g, TOTAL_TOKENS, u.totalTokens());
        field(g, CACHED_TOKENS, u.cachedTokens());
        field(g, REASONING_TOKENS, u.reasoningTokens());
        field(g, CACHE_CREATION_TOKENS, u.cacheCreationTokens());
        field(g, SOURCE, u.source().wireName());
        g.writeEndObject();
    }

    private static void cost(JsonGenerator g, Optional<Cost> cost) throws IOException {
        g.writeFieldName(COST);
        if (cost.isEmpty()) {
            g.writeNull();
            return;
        }
        Cost c = cost.get();
        g.writeStartObject();
        field(g, INPUT, c.input());
        field(g, OUTPUT, c.output());
        field(g, TOTAL, c.total());
        field(g, CURRENCY, c.currency());
        field(g, SOURCE, c.source().wireName());
        g.writeEndObject();
    }

    private static void field(JsonGenerator g, SerializableString name, String value) throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    private static void field(JsonGenerator g, SerializableString name, long value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    private static void field(JsonGenerator g, SerializableString name, double value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    private static void field(JsonGenerator g, SerializableString name, boolean value) throws IOException {
        g.writeFieldName(name);
        g.writeBoolean(value);
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
