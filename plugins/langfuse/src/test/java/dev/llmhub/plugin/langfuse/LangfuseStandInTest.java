package dev.llmhub.plugin.langfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.llmhub.plugin.langfuse.LangfuseServerModel.TraceWriteKind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stand-in's own checks must be able to fail: hand-made requests that break Langfuse's rules. */
class LangfuseStandInTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString(
            (LangfuseStandIn.PUBLIC_KEY + ":" + LangfuseStandIn.SECRET_KEY).getBytes(StandardCharsets.UTF_8));
    @RegisterExtension
    static final LangfuseStandIn standIn = LangfuseStandIn.forTestClass();
    private static HttpClient client;

    @BeforeAll
    static void start() {
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void anSdkNameOrAMissingIngestionVersionIsAViolationAndAVersionAboveFourIsRefused() throws Exception {
        byte[] body = request(span("aaaaaaaaaaaaaaaa", null)).toByteArray();
        assertEquals(200, post(body, "x-langfuse-sdk-name", "python").statusCode());
        String all = String.join("\n", standIn.violations());
        assertTrue(all.contains("x-langfuse-sdk-name") && all.contains("x-langfuse-ingestion-version: 4"), all);

        standIn.reset();
        assertEquals(400, post(body, "x-langfuse-ingestion-version", "5").statusCode());
        assertEquals(200, post(body, "x-langfuse-ingestion-version", "4").statusCode());
        assertEquals(List.of(), standIn.violations());
    }

    @Test
    void checkingOneRequestInNCountsTheSpansOfTheOthersFromTheWire() throws Exception {
        long requests = standIn.otlpRequests();
        long validated = standIn.otlpValidated();
        long spans = standIn.otlpSpans();
        // Two resources, the second with two scopes: the wire walk must find all five spans.
        ExportTraceServiceRequest five = request(span("aaaaaaaaaaaaaaaa", null), span("bbbbbbbbbbbbbbbb", null)).toBuilder()
                .addResourceSpans(request(span("cccccccccccccccc", null)).getResourceSpans(0).toBuilder()
                        .addScopeSpans(request(span("dddddddddddddddd", null), span("eeeeeeeeeeeeeeee", null))
                                .getResourceSpans(0).getScopeSpans(0)))
                .build();
        assertEquals(5, OtlpSpans.count(five.toByteArray()));
        standIn.validateOneIn(3);
        try {
            for (int i = 0; i < 6; i++) {
                assertEquals(200, post(gzip(five.toByteArray()), "Content-Encoding", "gzip",
                        "x-langfuse-ingestion-version", "4").statusCode());
            }
            assertEquals(400, post(five.toByteArray(), "Content-Encoding", "gzip", "x-langfuse-ingestion-version", "4")
                    .statusCode(), "a request that is only counted still gets the checks of a whole request");
        } finally {
            standIn.validateOneIn(1);
        }
        assertEquals(6, standIn.otlpRequests() - requests);
        assertEquals(2, standIn.otlpValidated() - validated);
        assertEquals(30, standIn.otlpSpans() - spans);
        assertEquals(10, standIn.spans().size(), "only checked requests' spans are kept");
        assertEquals(List.of(), standIn.violations());
    }

    @Test
    void gzipIsDecompressedAndABodyThatIsNotGzipIsRefused() throws Exception {
        byte[] body = request(span("aaaaaaaaaaaaaaaa", null)).toByteArray();
        assertEquals(200, post(gzip(body), "Content-Encoding", "gzip", "x-langfuse-ingestion-version", "4").statusCode());
        assertEquals(1, standIn.spans().size());
        assertEquals(400, post(body, "Content-Encoding", "gzip", "x-langfuse-ingestion-version", "4").statusCode());
    }

    @Test
    void aBodyOverTheLimitIsRefusedAsTooLarge() throws Exception {
        standIn.limitBodyBytes(10);
        byte[] body = request(span("aaaaaaaaaaaaaaaa", null)).toByteArray();
        assertEquals(413, post(body, "x-langfuse-ingestion-version", "4").statusCode());
        assertEquals(1, standIn.refusedAsTooLarge().size());
        assertEquals(1, standIn.refusedAsTooLarge().get(0).items());
        assertTrue(standIn.spans().isEmpty());
    }

    @Test
    void traceWritesFollowTheRootAndNonRootRule() throws Exception {
        Span root = span("aaaaaaaaaaaaaaaa", null).toBuilder().addAttributes(kv("langfuse.observation.input", "\"hi\"")).build();
        Span child = span("bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa");
        Span secondChild = span("cccccccccccccccc", "aaaaaaaaaaaaaaaa");
        Span updating = span("dddddddddddddddd", "aaaaaaaaaaaaaaaa").toBuilder().addAttributes(kv("session.id", "s1")).build();
        post(request(child, secondChild, updating, root).toByteArray(), "x-langfuse-ingestion-version", "4");
        List<LangfuseServerModel.TraceWrite> writes = standIn.server().traceWrites(TRACE);
        assertEquals(List.of(TraceWriteKind.SHALLOW, TraceWriteKind.UPDATE, TraceWriteKind.ROOT),
                writes.stream().map(LangfuseServerModel.TraceWrite::kind).toList());
        assertEquals("s1", writes.get(1).fields().get("sessionId"));
        assertEquals("root", writes.get(2).fields().get("name"), "a root's name falls back to its span name");
        assertEquals("\"hi\"", writes.get(2).fields().get("input"), "and its input to its observation's");
    }

    @Test
    void metadataCollisionsAndEnvironmentsLangfuseWouldRenameAreViolations() throws Exception {
        Span s = span("aaaaaaaaaaaaaaaa", null).toBuilder()
                .addAttributes(kv("langfuse.observation.metadata", "{\"team\":\"a\",\"scope\":\"x\"}"))
                .addAttributes(kv("langfuse.trace.metadata", "{\"team\":\"b\"}"))
                .addAttributes(kv("langfuse.environment", "Production"))
                .build();
        post(request(s).toByteArray(), "x-langfuse-ingestion-version", "4");
        String all = String.join("\n", standIn.violations());
        assertTrue(all.contains("'team'"), all);
        assertTrue(all.contains("'scope'"), all);
        assertTrue(all.contains("'Production'") && all.contains("'production'"), all);
    }

    @Test
    void anIngestionBodyWithAContentEncodingIsRefused() throws Exception {
        HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create(standIn.url() + "/api/public/ingestion"))
                .header("Authorization", AUTH).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip("{\"batch\":[]}".getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, res.statusCode());
        assertTrue(String.join("\n", standIn.violations()).contains("Content-Encoding"));
    }

    @Test
    void environmentRuleIsTheServers() {
        assertEquals("production", LangfuseServerModel.storedEnvironment("Production"));
        assertEquals("prod", LangfuseServerModel.storedEnvironment("langfuse-langfuse_prod"));
        assertEquals("default", LangfuseServerModel.storedEnvironment("prod eu"));
        assertEquals("default", LangfuseServerModel.storedEnvironment("langfuse"));
        assertEquals("a".repeat(40), LangfuseServerModel.storedEnvironment("a".repeat(45)));
        assertEquals("default", LangfuseServerModel.storedEnvironment(null));
    }

    private static HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(standIn.url() + OtelExport.PATH))
                .header("Authorization", AUTH).header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Span span(String id, String parent) {
        Span.Builder s = Span.newBuilder().setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE)))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(id))).setName(parent == null ? "root" : "child")
                .setStartTimeUnixNano(1).setEndTimeUnixNano(2);
        if (parent != null) {
            s.setParentSpanId(ByteString.copyFrom(HexFormat.of().parseHex(parent)));
        }
        return s.build();
    }

    private static ExportTraceServiceRequest request(Span... spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test"))
                        .addAllSpans(new ArrayList<>(List.of(spans))))).build();
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static byte[] gzip(byte[] body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        }
        return out.toByteArray();
    }
}
