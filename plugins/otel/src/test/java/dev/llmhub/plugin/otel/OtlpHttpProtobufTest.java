package dev.llmhub.plugin.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.TestPluginContext;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code protocol: http/protobuf} against a real HTTP server that decodes OTLP with the official protos. */
class OtlpHttpProtobufTest {
    private static final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
    private static final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
    private static final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
    private static volatile int answer = 200;
    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (answer == 200) {
                traces.add(ExportTraceServiceRequest.parseFrom(body));
            }
            reply(ex, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
        });
        server.createContext("/v1/metrics", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (answer == 200) {
                metrics.add(ExportMetricsServiceRequest.parseFrom(body));
            }
            reply(ex, ExportMetricsServiceResponse.getDefaultInstance().toByteArray());
        });
        server.createContext("/v1/logs", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (answer == 200) {
                logs.add(ExportLogsServiceRequest.parseFrom(body));
            }
            reply(ex, ExportLogsServiceResponse.getDefaultInstance().toByteArray());
        });
        server.start();
    }

    private static void reply(HttpExchange ex, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(answer, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void spansMetricsAndEventsGoToTheSignalPathsAndHttpStatusesAreClassified() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        CallRecord r = SampleRecords.seedSuccess().build();
        try (Destination d = new OtelDestinationFactory().create(TestPluginContext.of("otel", Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "capture_message_content", "event_only"), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", base)))) {
            answer = 200;
            assertInstanceOf(ExportResult.Success.class, d.export(List.of(r)));
            assertEquals(3, traces.get(0).getResourceSpans(0).getScopeSpans(0).getSpansCount(), "server, chat and its one try");
            assertEquals("gen_ai.client.inference.operation.details",
                    logs.get(0).getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getEventName());
            assertEquals(r.spanId(), Otlp.hex(traces.get(0).getResourceSpans(0).getScopeSpans(0).getSpans(0).getSpanId()));
            assertTrue(metrics.get(0).getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
                    .anyMatch(m -> m.getName().equals("gen_ai.client.operation.duration")));

            answer = 503;
            assertInstanceOf(ExportResult.Retryable.class, d.export(List.of(r)));
            answer = 401;
            ExportResult.Permanent refused = assertInstanceOf(ExportResult.Permanent.class, d.export(List.of(r)));
            assertTrue(refused.reason().startsWith("HTTP 401"), refused.reason());
        } finally {
            answer = 200;
        }
        assertEquals(1, traces.size());
    }
}
