package dev.llmhub.plugin.otel.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.plugin.otel.OtelDestinationFactory;
import dev.llmhub.plugin.otel.OtlpReceiver;
import dev.llmhub.plugin.testkit.TestPluginContext;
import dev.llmhub.plugin.otel.conformance.Semconv.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs a varied mix of calls through llmhub's request path (mock and a real HTTP upstream, request
 * parameters, tools, streams, embeddings, completions, retries, failover, failures, traceparent,
 * metadata), exports the records with the otel destination to a real OTLP receiver, and checks every
 * span, event and metric point against the semantic conventions v1.41.1 copied into the test
 * resources. Any deviation fails the build with the list of violations.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SemanticConventionsConformanceTest {
    /** Text of the mix's messages and answers: must appear only where content is captured. */
    private static final List<String> CONTENT = List.of("request from LiteLLM testing", "Weather in Paris", "Bonjour",
            "Good morning! How can I assist you", "first text", "Once upon", "sunny, 21 C");

    @AutoClose
    private static StubProvider stub;
    @AutoClose
    private static OtlpReceiver receiver;
    private static Semconv spec;
    private static Map<String, CallRecord> mix;
    private static final Set<String> expectedSomewhere = new TreeSet<>();
    private static final Set<String> checkedDefinitions = new TreeSet<>();

    @BeforeAll
    static void runTheMix() throws Exception {
        spec = new Semconv();
        stub = new StubProvider();
        receiver = new OtlpReceiver().start();
        mix = CallMix.run(stub);
    }

    @Test
    @Order(1)
    void theMixIsAsVariedAsClaimed() {
        CallRecord failover = mix.get("failover: 503 on OpenAI, answered by Azure");
        assertEquals(2, failover.attempts().size());
        assertEquals(CallStatus.FAILURE, failover.attempts().get(0).status());
        assertEquals("azure", failover.provider().orElseThrow());
        assertEquals(3, mix.get("429 on every try").attempts().size());
        assertEquals(2, mix.get("upstream unreachable, retried").attempts().size());
        assertTrue(mix.get("streamed chat from the HTTP upstream").outputChunks() >= 2);
        assertEquals(CallStatus.FAILURE, mix.get("stream broken off by the upstream").status());
        assertTrue(mix.get("bad request, refused before any try").attempts().isEmpty());
        assertTrue(mix.get("unknown model").attempts().isEmpty());
        assertTrue(mix.get("embeddings of a list with dimensions").response().orElseThrow().id()
                .equals(mix.get("embeddings of a list with dimensions").id()), "OpenAI embeddings have no id");
        assertEquals(StubProvider.SERVICE_TIER, mix.get("chat with every parameter, a system prompt and tools")
                .response().orElseThrow().serviceTier().orElseThrow());
        assertEquals("b7ad6b7169203331", mix.get("seed chat on the mock, with traceparent and metadata").parentSpanId().orElseThrow());
    }

    @Test
    @Order(1)
    void contentOnSpansByDefault() {
        Conformance c = export(Map.of(), true, false);
        assertTrue(receiver.logRequests.isEmpty(), "events only when asked for");
        assertTrue(received().contains("Weather in Paris"), "content is captured by default");
        report("default (span_only)", c);
    }

    @Test
    @Order(1)
    void contentOnSpansAndInTheOperationDetailsEvents() {
        Conformance c = export(Map.of("capture_message_content", "span_and_event"), true, true);
        assertFalse(receiver.logRecords().isEmpty());
        report("span_and_event", c);
    }

    @Test
    @Order(1)
    void contentOnlyInTheOperationDetailsEvents() {
        Conformance c = export(Map.of("capture_message_content", "event_only"), false, true);
        report("event_only", c);
    }

    @Test
    @Order(1)
    void noContentAnywhere() {
        Conformance c = export(Map.of("capture_message_content", false), false, false);
        String everything = received();
        for (String text : CONTENT) {
            assertFalse(everything.contains(text), "'" + text + "' was exported with content capture off");
        }
        report("no_content", c);
    }

    /**
     * After the modes ran: each conditional or recommended attribute with a rule, and each content
     * attribute, was due for some call of the mix, so every rule was checked both ways at least once.
     */
    @Test
    @Order(2)
    void everyRuleWasDueSomewhereInTheMix() {
        assertEquals(Set.of("event.gen_ai.client.inference.operation.details", "metric.gen_ai.client.operation.duration",
                "metric.gen_ai.client.operation.time_per_output_chunk", "metric.gen_ai.client.operation.time_to_first_chunk",
                "metric.gen_ai.client.token.usage", "span.gen_ai.embeddings.client", "span.gen_ai.inference.client",
                "span.http.client", "span.http.server", "span.openai.inference.client"), checkedDefinitions);
        Expectations rules = new Expectations();
        List<String> neverDue = new ArrayList<>();
        for (String def : checkedDefinitions) {
            spec.attributesOf(def).forEach((id, req) -> {
                boolean content = id.equals("gen_ai.input.messages") || id.equals("gen_ai.output.messages")
                        || id.equals("gen_ai.tool.definitions");
                boolean ruled = req.level() != Level.REQUIRED && (req.level() != Level.OPT_IN || content);
                if (def.startsWith("span.") && ruled && rules.canBeExpected(id) && !expectedSomewhere.contains(def + " " + id)) {
                    neverDue.add(def + " " + id);
                }
            });
        }
        assertEquals(List.of(), neverDue, "the mix never made these attributes due: add calls that do");
    }

    private static Conformance export(Map<String, Object> settings, boolean contentOnSpans, boolean contentInEvents) {
        receiver.clear();
        List<CallRecord> records = new ArrayList<>(mix.values());
        try (Destination d = new OtelDestinationFactory().create(TestPluginContext.of("otel", settings,
                Map.of("OTEL_ENDPOINT", receiver.endpoint())))) {
            // Two batches, the second sent twice (a retried export): nothing may be counted or evented twice.
            List<CallRecord> first = records.subList(0, records.size() / 2);
            List<CallRecord> second = records.subList(records.size() / 2, records.size());
            assertInstanceOf(ExportResult.Success.class, d.export(first));
            assertInstanceOf(ExportResult.Success.class, d.export(second));
            assertInstanceOf(ExportResult.Success.class, d.export(second));
        }
        // The re-sent spans are the same spans (same ids), which a backend keeps once; the check reads one copy.
        assertEquals(receiver.traceRequests.get(1), receiver.traceRequests.get(2));
        receiver.traceRequests.remove(2);
        Conformance c = new Conformance(spec, mix, contentOnSpans, contentInEvents, stub.base());
        c.checkSpans(receiver.traceRequests);
        c.checkEvents(receiver.logRequests, receiver.traceRequests);
        c.checkMetrics(receiver.metricRequests);
        String everything = received();
        for (String secret : List.of(CallMix.UPSTREAM_KEY, "sk-1234")) {
            assertFalse(everything.contains(secret), secret + " reached the receiver");
        }
        return c;
    }

    private static void report(String mode, Conformance c) {
        System.out.println("== OTel semantic conventions v1.41.1, content " + mode + ": " + mix.size() + " calls, "
                + c.violations().size() + " violations\n" + c.coverage());
        expectedSomewhere.addAll(c.expectedSomewhere());
        checkedDefinitions.addAll(c.coverage().lines().map(l -> l.substring(0, l.indexOf(':'))).toList());
        assertEquals(List.of(), c.violations(), "violations of the semantic conventions with content " + mode);
    }

    private static String received() {
        StringBuilder sb = new StringBuilder();
        receiver.traceRequests.forEach(t -> sb.append(t.toByteString().toString(StandardCharsets.UTF_8)).append(t));
        receiver.metricRequests.forEach(m -> sb.append(m.toByteString().toString(StandardCharsets.UTF_8)).append(m));
        receiver.logRequests.forEach(l -> sb.append(l.toByteString().toString(StandardCharsets.UTF_8)).append(l));
        return sb.toString();
    }
}
