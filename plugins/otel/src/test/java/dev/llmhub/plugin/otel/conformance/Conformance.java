package dev.llmhub.plugin.otel.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Usage;
import dev.llmhub.plugin.otel.Otlp;
import dev.llmhub.plugin.otel.conformance.Expectations.Facts;
import dev.llmhub.plugin.otel.conformance.Expectations.Role;
import dev.llmhub.plugin.otel.conformance.Semconv.Level;
import dev.llmhub.plugin.otel.conformance.Semconv.Requirement;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Checks everything an OTLP receiver got for a mix of calls against the copied semantic conventions:
 * span kinds and names, every attribute's registry entry and type, each definition's requirement
 * levels (with {@link Expectations} deciding the conditional ones from the call records), content JSON
 * against its schema, the span tree, the operation details events, and the metrics' names,
 * instruments, units, buckets, attributes and totals. Collects violations instead of stopping at the
 * first, and counts what it checked.
 */
final class Conformance {
    /** Enums whose values llmhub must take from the well-known list (others, like error.type, are open). */
    private static final Set<String> WELL_KNOWN_ONLY = Set.of("gen_ai.operation.name", "gen_ai.token.type",
            "gen_ai.output.type", "openai.api.type", "http.request.method", "gen_ai.provider.name");
    /** Custom values the conventions allow where no well-known one applies, and why llmhub uses them. */
    private static final Map<String, Set<String>> CUSTOM_VALUES = Map.of(
            "gen_ai.provider.name", Set.of("mock")); // llmhub's built-in mock is no registered provider
    /** Registry attributes llmhub adds to spans beyond their definitions. */
    private static final Set<String> EXTRA_ALLOWED = Set.of("user.id"); // the end user the call was made for

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Semconv spec;
    private final Expectations expectations;
    private final Map<String, CallRecord> records;
    private final boolean contentOnSpans;
    private final boolean contentInEvents;
    private final String stubBase;
    private final List<String> violations = new ArrayList<>();
    /** definition → attribute → how often it was present, for the coverage report. */
    private final Map<String, Map<String, Integer>> seen = new TreeMap<>();
    /** Attributes some call of the mix was expected to carry. */
    private final Set<String> expectedSomewhere = new TreeSet<>();
    private final Map<String, Integer> checkedSpans = new TreeMap<>();

    Conformance(Semconv spec, Map<String, CallRecord> records, boolean contentOnSpans, boolean contentInEvents, String stubBase) {
        this.spec = spec;
        this.expectations = new Expectations();
        this.records = records;
        this.contentOnSpans = contentOnSpans;
        this.contentInEvents = contentInEvents;
        this.stubBase = stubBase;
    }

    List<String> violations() {
        return violations;
    }

    Set<String> expectedSomewhere() {
        return expectedSomewhere;
    }

    /** @return one line per definition: spans checked and the attributes seen */
    String coverage() {
        StringBuilder sb = new StringBuilder();
        checkedSpans.forEach((def, n) -> sb.append(def).append(": ").append(n).append(" checked, attributes seen ")
                .append(seen.getOrDefault(def, Map.of())).append('\n'));
        return sb.toString();
    }

    // ---------------------------------------------------------------- spans

    void checkSpans(List<ExportTraceServiceRequest> exports) {
        Map<String, List<Span>> byCall = new LinkedHashMap<>();
        for (ExportTraceServiceRequest export : exports) {
            export.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> {
                if (!ss.getSchemaUrl().equals(spec.schemaUrl())) {
                    violations.add("spans' scope schema_url is '" + ss.getSchemaUrl() + "', not " + spec.schemaUrl());
                }
                for (Span s : ss.getSpansList()) {
                    AnyValue id = Otlp.attributes(s).get("llmhub.call.id");
                    byCall.computeIfAbsent(id == null ? "?" : id.getStringValue(), k -> new ArrayList<>()).add(s);
                }
            }));
        }
        if (byCall.containsKey("?")) {
            violations.add("spans without llmhub.call.id: " + byCall.get("?").stream().map(Span::getName).toList());
        }
        for (CallRecord r : records.values()) {
            checkTree(r, byCall.getOrDefault(r.id(), List.of()));
        }
    }

    private void checkTree(CallRecord r, List<Span> spans) {
        String call = "call " + r.id() + " (" + r.model() + ")";
        List<Span> servers = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).toList();
        List<Span> operations = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT
                && Otlp.attributes(s).containsKey("gen_ai.operation.name")).toList();
        List<Span> tries = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT
                && !Otlp.attributes(s).containsKey("gen_ai.operation.name")).toList();
        if (servers.size() + operations.size() + tries.size() != spans.size()) {
            violations.add(call + ": spans of other kinds " + spans.stream().map(s -> s.getKind() + " " + s.getName()).toList());
        }
        if (servers.size() != 1) {
            violations.add(call + ": " + servers.size() + " SERVER spans, expected 1");
            return;
        }
        Span server = servers.get(0);
        if (!Otlp.hex(server.getSpanId()).equals(r.spanId())) {
            violations.add(call + ": the SERVER span's id is not the record's span id");
        }
        String parent = r.parentSpanId().orElse("");
        if (!Otlp.hex(server.getParentSpanId()).equals(parent.isEmpty() ? "" : parent)) {
            violations.add(call + ": the SERVER span's parent is not the caller's traceparent span " + parent);
        }
        checkSpan(server, r, Role.HTTP_SERVER_SPAN, 0);

        int expectedOperations = r.attempts().isEmpty() ? 0 : 1;
        if (operations.size() != expectedOperations) {
            violations.add(call + ": " + operations.size() + " GenAI spans, expected " + expectedOperations
                    + " (one per operation; none when no upstream try was made)");
            return;
        }
        if (expectedOperations == 0) {
            if (!tries.isEmpty()) {
                violations.add(call + ": HTTP client spans without a GenAI span");
            }
            return;
        }
        Span op = operations.get(0);
        if (!op.getParentSpanId().equals(server.getSpanId())) {
            violations.add(call + ": the GenAI span is not the SERVER span's child");
        }
        checkSpan(op, r, r.callType() == CallType.EMBEDDING ? Role.EMBEDDINGS_SPAN : Role.INFERENCE_SPAN, 0);

        List<Integer> overNetwork = new ArrayList<>();
        for (int i = 0; i < r.attempts().size(); i++) {
            if (r.attempts().get(i).url().isPresent()) {
                overNetwork.add(i);
            }
        }
        if (tries.size() != overNetwork.size()) {
            violations.add(call + ": " + tries.size() + " HTTP client spans for " + overNetwork.size() + " tries over the network");
            return;
        }
        for (Span t : tries) {
            if (!t.getParentSpanId().equals(op.getSpanId())) {
                violations.add(call + ": an HTTP client span is not the GenAI span's child");
            }
            AnyValue resend = Otlp.attributes(t).get("http.request.resend_count");
            int index = resend == null ? 0 : (int) resend.getIntValue();
            if (index >= r.attempts().size()) {
                violations.add(call + ": http.request.resend_count " + index + " for " + r.attempts().size() + " tries");
                continue;
            }
            checkSpan(t, r, Role.HTTP_CLIENT_SPAN, index);
            checkTryValues(t, r, index, call);
        }
    }

    /** Values the HTTP conventions fix for a try, against what the stub answered. */
    private void checkTryValues(Span t, CallRecord r, int index, String call) {
        Attempt a = r.attempts().get(index);
        Map<String, AnyValue> attrs = Otlp.attributes(t);
        String url = a.url().orElseThrow();
        if (!url.equals(str(attrs.get("url.full")))) {
            violations.add(call + ": try " + index + " url.full " + attrs.get("url.full") + ", sent to " + url);
        }
        AnyValue status = attrs.get("http.response.status_code");
        if (status != null) {
            long expected = url.contains("/flaky/") ? 503 : url.contains("/busy/") ? 429 : 200;
            if (status.getIntValue() != expected) {
                violations.add(call + ": try " + index + " http.response.status_code " + status.getIntValue() + ", the stub answered " + expected);
            }
        }
        attrs.keySet().stream().filter(k -> k.startsWith("gen_ai.") || k.startsWith("openai."))
                .forEach(k -> violations.add(call + ": HTTP client span carries GenAI attribute " + k));
    }

    private void checkSpan(Span span, CallRecord r, Role role, int tryIndex) {
        Map<String, AnyValue> attrs = Otlp.attributes(span);
        List<String> defs = definitions(role, r);
        String where = span.getName() + " (" + String.join("+", defs) + ", call " + r.model() + ")";
        for (String def : defs) {
            checkedSpans.merge(def, 1, Integer::sum);
            String kind = spec.group(def).spanKind().orElse("");
            if (!("SPAN_KIND_" + kind.toUpperCase()).equals(span.getKind().name())) {
                violations.add(where + ": kind " + span.getKind() + ", the spec says " + kind);
            }
        }
        checkAttributes(where, attrs, defs, new Facts(r, role, tryIndex, contentOnSpans && role == Role.INFERENCE_SPAN, stubBase), false);
        checkName(where, span, role, attrs);
        boolean error = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        boolean shouldError = expectations.expected("error.type", new Facts(r, role, tryIndex, false, stubBase)).orElse(false);
        if (error != shouldError) {
            violations.add(where + ": status " + span.getStatus().getCode() + ", expected " + (shouldError ? "ERROR" : "UNSET"));
        }
        if (role == Role.INFERENCE_SPAN || role == Role.EMBEDDINGS_SPAN) {
            AnyValue model = attrs.get("gen_ai.request.model");
            if (model != null && CallMix.ALIASES.contains(model.getStringValue())) {
                violations.add(where + ": gen_ai.request.model is the alias " + model.getStringValue());
            }
            if (model != null && !model.getStringValue().equals(r.upstreamModel().orElse(""))) {
                violations.add(where + ": gen_ai.request.model " + model.getStringValue() + " is not the model sent, " + r.upstreamModel());
            }
        }
    }

    private void checkName(String where, Span span, Role role, Map<String, AnyValue> attrs) {
        String expected = switch (role) {
            case HTTP_SERVER_SPAN -> "POST " + str(attrs.get("http.route"));
            case HTTP_CLIENT_SPAN -> "POST";
            default -> str(attrs.get("gen_ai.operation.name"))
                    + (attrs.containsKey("gen_ai.request.model") ? " " + str(attrs.get("gen_ai.request.model")) : "");
        };
        if (!span.getName().equals(expected)) {
            violations.add(where + ": named '" + span.getName() + "', the spec's rule gives '" + expected + "'");
        }
    }

    private List<String> definitions(Role role, CallRecord r) {
        return switch (role) {
            case HTTP_SERVER_SPAN -> List.of("span.http.server");
            case HTTP_CLIENT_SPAN -> List.of("span.http.client");
            case EMBEDDINGS_SPAN -> List.of("span.gen_ai.embeddings.client");
            case INFERENCE_SPAN -> r.provider().filter("openai"::equals).isPresent()
                    ? List.of("span.gen_ai.inference.client", "span.openai.inference.client")
                    : List.of("span.gen_ai.inference.client");
            case DETAILS_EVENT -> List.of("event.gen_ai.client.inference.operation.details");
        };
    }

    /**
     * Every attribute present must be defined (registry, not deprecated, right type, well-known value)
     * and belong to one of the definitions; every attribute of each definition must be present exactly
     * when its requirement level and {@link Expectations} say so.
     */
    private void checkAttributes(String where, Map<String, AnyValue> attrs, List<String> defs, Facts facts, boolean structuredContent) {
        Map<String, Requirement> union = new LinkedHashMap<>();
        defs.forEach(d -> union.putAll(spec.attributesOf(d)));
        attrs.forEach((key, value) -> {
            if (key.startsWith("llmhub.")) {
                return;
            }
            Optional<Semconv.Attribute> def = spec.attribute(key);
            if (def.isEmpty()) {
                violations.add(where + ": " + key + " is in no copied registry");
                return;
            }
            if (def.get().deprecated()) {
                violations.add(where + ": " + key + " is deprecated");
            }
            checkType(where, def.get(), value, structuredContent);
            if (!union.containsKey(key) && !EXTRA_ALLOWED.contains(key)) {
                violations.add(where + ": " + key + " is not an attribute of " + defs);
            }
            defs.forEach(d -> seen.computeIfAbsent(d, k -> new TreeMap<>()).merge(key, 1, Integer::sum));
        });
        for (String def : defs) {
            spec.attributesOf(def).forEach((id, req) -> {
                boolean present = attrs.containsKey(id);
                Optional<Boolean> expected = req.level() == Level.REQUIRED ? Optional.of(true)
                        : expectations.expected(id, facts).or(() -> req.level() == Level.OPT_IN ? Optional.of(false) : Optional.empty());
                if (expected.isEmpty()) {
                    violations.add(where + ": no rule decides " + id + " (" + req.level() + " " + req.condition() + ") in " + def);
                    return;
                }
                if (expected.get() && expectations.canBeExpected(id)) {
                    expectedSomewhere.add(def + " " + id);
                }
                if (present != expected.get()) {
                    violations.add(where + ": " + id + (present ? " present" : " missing") + " (" + req.level()
                            + (req.condition().isEmpty() ? "" : ": " + req.condition()) + " in " + def + ")");
                }
            });
        }
        for (String content : List.of("gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions",
                "gen_ai.tool.definitions")) {
            AnyValue v = attrs.get(content);
            if (v != null) {
                checkContent(where, content, v, structuredContent);
            }
        }
    }

    private void checkType(String where, Semconv.Attribute def, AnyValue v, boolean structured) {
        boolean ok = switch (def.type()) {
            case "string", "enum" -> v.hasStringValue();
            case "int" -> v.hasIntValue();
            case "double" -> v.hasDoubleValue();
            case "boolean" -> v.hasBoolValue();
            case "string[]" -> v.hasArrayValue() && v.getArrayValue().getValuesList().stream().allMatch(AnyValue::hasStringValue);
            // Structured where the SDK can (events MUST), JSON text on spans (a Java SDK span may).
            case "any" -> structured ? v.hasArrayValue() || v.hasKvlistValue() : v.hasStringValue();
            default -> false;
        };
        if (!ok) {
            violations.add(where + ": " + def.id() + " should be " + def.type() + (def.type().equals("any")
                    ? (structured ? " (structured on events)" : " (JSON text on spans)") : "") + ", got " + v);
            return;
        }
        if (def.type().equals("enum") && WELL_KNOWN_ONLY.contains(def.id()) && !def.members().contains(v.getStringValue())
                && !CUSTOM_VALUES.getOrDefault(def.id(), Set.of()).contains(v.getStringValue())) {
            violations.add(where + ": " + def.id() + " = '" + v.getStringValue() + "' is none of " + new TreeSet<>(def.members()));
        }
    }

    private void checkContent(String where, String attribute, AnyValue v, boolean structured) {
        JsonNode tree;
        try {
            tree = structured ? tree(v) : JSON.readTree(v.getStringValue());
        } catch (Exception e) {
            violations.add(where + ": " + attribute + " is not JSON: " + e.getMessage());
            return;
        }
        spec.contentSchema(attribute).ifPresent(schema -> schema.validate(tree)
                .forEach(err -> violations.add(where + ": " + attribute + " breaks its schema: " + err.getMessage())));
    }

    private static JsonNode tree(AnyValue v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v.hasKvlistValue()) {
            ObjectNode o = f.objectNode();
            v.getKvlistValue().getValuesList().forEach(kv -> o.set(kv.getKey(), tree(kv.getValue())));
            return o;
        }
        if (v.hasArrayValue()) {
            ArrayNode a = f.arrayNode();
            v.getArrayValue().getValuesList().forEach(x -> a.add(tree(x)));
            return a;
        }
        if (v.hasStringValue()) {
            return f.textNode(v.getStringValue());
        }
        if (v.hasIntValue()) {
            return f.numberNode(v.getIntValue());
        }
        if (v.hasDoubleValue()) {
            return f.numberNode(v.getDoubleValue());
        }
        if (v.hasBoolValue()) {
            return f.booleanNode(v.getBoolValue());
        }
        return f.nullNode();
    }

    // ---------------------------------------------------------------- events

    void checkEvents(List<ExportLogsServiceRequest> exports, List<ExportTraceServiceRequest> traces) {
        Map<String, Span> operationSpans = new LinkedHashMap<>();
        traces.forEach(t -> t.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList().stream()
                .filter(s -> Otlp.attributes(s).containsKey("gen_ai.operation.name"))
                .forEach(s -> operationSpans.put(str(Otlp.attributes(s).get("llmhub.call.id")), s)))));
        Map<String, Integer> perCall = new LinkedHashMap<>();
        for (ExportLogsServiceRequest export : exports) {
            export.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> {
                if (!sl.getSchemaUrl().equals(spec.schemaUrl())) {
                    violations.add("events' scope schema_url is '" + sl.getSchemaUrl() + "', not " + spec.schemaUrl());
                }
                for (LogRecord log : sl.getLogRecordsList()) {
                    Map<String, AnyValue> attrs = Otlp.attributes(log.getAttributesList());
                    String callId = str(attrs.get("llmhub.call.id"));
                    CallRecord r = records.values().stream().filter(x -> x.id().equals(callId)).findFirst().orElse(null);
                    String where = "event " + log.getEventName() + " of " + (r == null ? callId : r.model());
                    String def = "event.gen_ai.client.inference.operation.details";
                    if (!log.getEventName().equals(spec.group(def).name().orElse(""))) {
                        violations.add(where + ": unknown event name");
                        continue;
                    }
                    if (r == null) {
                        violations.add(where + ": no call with that llmhub.call.id");
                        continue;
                    }
                    perCall.merge(callId, 1, Integer::sum);
                    checkedSpans.merge(def, 1, Integer::sum);
                    Span op = operationSpans.get(callId);
                    if (op == null || !op.getSpanId().equals(log.getSpanId()) || !op.getTraceId().equals(log.getTraceId())) {
                        violations.add(where + ": not in the GenAI span's context");
                    }
                    checkAttributes(where, attrs, List.of(def), new Facts(r, Role.DETAILS_EVENT, 0, contentInEvents, stubBase), true);
                    if (log.hasBody()) {
                        violations.add(where + ": has a body; the spec defines attributes only");
                    }
                }
            }));
        }
        for (CallRecord r : records.values()) {
            int expected = contentInEvents && !r.attempts().isEmpty() && r.callType() != CallType.EMBEDDING ? 1 : 0;
            if (perCall.getOrDefault(r.id(), 0) != expected) {
                violations.add("call " + r.model() + ": " + perCall.getOrDefault(r.id(), 0) + " operation details events, expected " + expected);
            }
        }
    }

    // ---------------------------------------------------------------- metrics

    /** Checks the last metrics export (cumulative: it holds every call's values). */
    void checkMetrics(List<ExportMetricsServiceRequest> exports) {
        if (exports.isEmpty()) {
            violations.add("no metrics were exported");
            return;
        }
        List<CallRecord> operations = records.values().stream().filter(r -> !r.attempts().isEmpty()).toList();
        Map<String, Metric> metrics = new LinkedHashMap<>();
        exports.get(exports.size() - 1).getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> {
            if (!sm.getSchemaUrl().equals(spec.schemaUrl())) {
                violations.add("metrics' scope schema_url is '" + sm.getSchemaUrl() + "', not " + spec.schemaUrl());
            }
            sm.getMetricsList().forEach(m -> metrics.put(m.getName(), m));
        }));
        for (Metric m : metrics.values()) {
            String def = "metric." + m.getName();
            Semconv.Group g;
            try {
                g = spec.group(def);
            } catch (IllegalArgumentException e) {
                violations.add("metric " + m.getName() + " is not a GenAI metric of the spec");
                continue;
            }
            checkedSpans.merge(def, m.getHistogram().getDataPointsCount(), Integer::sum);
            if (!g.instrument().orElse("").equals("histogram") || !m.hasHistogram()) {
                violations.add(m.getName() + ": sent as " + m.getDataCase() + ", the spec's instrument is " + g.instrument());
                continue;
            }
            if (!m.getUnit().equals(g.unit().orElse(""))) {
                violations.add(m.getName() + ": unit '" + m.getUnit() + "', the spec's is '" + g.unit().orElse("") + "'");
            }
            boolean openAiAttributes = m.getName().equals("gen_ai.client.token.usage") || m.getName().equals("gen_ai.client.operation.duration");
            for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                Map<String, AnyValue> attrs = Otlp.attributes(p.getAttributesList());
                boolean openAi = "openai".equals(str(attrs.get("gen_ai.provider.name")));
                List<String> defs = openAi && openAiAttributes ? List.of(def, "metric_attributes.openai") : List.of(def);
                checkPoint(m.getName() + " " + attrs.keySet(), p, attrs, defs, spec.buckets(m.getName()));
            }
        }
        long failed = operations.stream().filter(r -> r.error().isPresent()).count();
        expectTotal("gen_ai.client.operation.duration", metrics, p -> true, operations.size());
        expectTotal("gen_ai.client.operation.duration with error.type", metrics.get("gen_ai.client.operation.duration"),
                p -> Otlp.attributes(p.getAttributesList()).containsKey("error.type"), failed);
        long firstChunks = operations.stream().filter(r -> r.stream() && r.firstTokenTime().isPresent()).count();
        expectTotal("gen_ai.client.operation.time_to_first_chunk", metrics, p -> true, firstChunks);
        long gaps = operations.stream().filter(r -> r.stream() && r.outputChunks() >= 2).mapToLong(r -> r.outputChunks() - 1).sum();
        expectTotal("gen_ai.client.operation.time_per_output_chunk", metrics, p -> true, gaps);
        long inputTokens = operations.stream().filter(r -> r.usage().source() == Usage.Source.PROVIDER)
                .mapToLong(r -> r.usage().promptTokens()).sum();
        long outputTokens = operations.stream().filter(r -> r.usage().source() == Usage.Source.PROVIDER
                && r.callType() != CallType.EMBEDDING).mapToLong(r -> r.usage().completionTokens()).sum();
        expectSum(metrics.get("gen_ai.client.token.usage"), "input", inputTokens);
        expectSum(metrics.get("gen_ai.client.token.usage"), "output", outputTokens);
    }

    private void checkPoint(String where, HistogramDataPoint p, Map<String, AnyValue> attrs, List<String> defs, List<Double> buckets) {
        if (!p.getExplicitBoundsList().equals(buckets)) {
            violations.add(where + ": buckets " + p.getExplicitBoundsList() + ", the spec advises " + buckets);
        }
        Map<String, Requirement> union = new LinkedHashMap<>();
        defs.forEach(d -> union.putAll(spec.attributesOf(d)));
        attrs.forEach((key, value) -> {
            Optional<Semconv.Attribute> def = spec.attribute(key);
            if (def.isEmpty() || !union.containsKey(key)) {
                violations.add(where + ": " + key + " is not an attribute of " + defs);
                return;
            }
            checkType(where, def.get(), value, false);
            defs.forEach(d -> seen.computeIfAbsent(d, k -> new TreeMap<>()).merge(key, 1, Integer::sum));
            if (key.equals("gen_ai.request.model") && CallMix.ALIASES.contains(value.getStringValue())) {
                violations.add(where + ": gen_ai.request.model is the alias " + value.getStringValue());
            }
        });
        for (String d : defs) {
            spec.attributesOf(d).forEach((id, req) -> {
                boolean present = attrs.containsKey(id);
                // A point aggregates calls: the rules that can be decided from the point itself.
                Optional<Boolean> expected = switch (id) {
                    case "server.port" -> Optional.of(attrs.containsKey("server.address"));
                    case "gen_ai.request.model" -> Optional.of(true); // every GenAI operation of the mix names it
                    default -> req.level() == Level.REQUIRED ? Optional.of(true) : Optional.empty();
                };
                if (expected.isPresent() && present != expected.get()) {
                    violations.add(where + ": " + id + (present ? " present" : " missing") + " (" + req.level() + " in " + d + ")");
                }
            });
        }
    }

    private void expectTotal(String what, Map<String, Metric> metrics, Predicate<HistogramDataPoint> which, long expected) {
        expectTotal(what, metrics.get(what), which, expected);
    }

    private void expectTotal(String what, Metric m, Predicate<HistogramDataPoint> which, long expected) {
        long count = m == null ? 0 : m.getHistogram().getDataPointsList().stream().filter(which).mapToLong(HistogramDataPoint::getCount).sum();
        if (count != expected) {
            violations.add(what + ": " + count + " values recorded, expected " + expected);
        }
    }

    private void expectSum(Metric m, String tokenType, long expected) {
        double sum = m == null ? 0 : m.getHistogram().getDataPointsList().stream()
                .filter(p -> tokenType.equals(str(Otlp.attributes(p.getAttributesList()).get("gen_ai.token.type"))))
                .mapToDouble(HistogramDataPoint::getSum).sum();
        if (sum != expected) {
            violations.add("gen_ai.client.token.usage " + tokenType + ": sum " + sum + ", the provider reported " + expected);
        }
    }

    private static String str(AnyValue v) {
        return v == null ? "" : v.getStringValue();
    }
}
