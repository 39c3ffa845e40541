package dev.llmhub.plugin.otel;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real OTLP/gRPC receiver built from the official protos, on a loopback port: it keeps every export
 * request (traces, metrics, logs) and the gRPC metadata (headers) it came with. It can be stopped and
 * started again on the same port to play a collector that goes away.
 */
public final class OtlpReceiver implements AutoCloseable {
    public final List<ExportTraceServiceRequest> traceRequests = new CopyOnWriteArrayList<>();
    public final List<ExportMetricsServiceRequest> metricRequests = new CopyOnWriteArrayList<>();
    public final List<ExportLogsServiceRequest> logRequests = new CopyOnWriteArrayList<>();
    public final List<Map<String, String>> requestHeaders = new CopyOnWriteArrayList<>();
    /** When set, every export is refused with this status instead of being kept. */
    volatile io.grpc.Status refuseWith;
    private int port;
    private Server server;
    private javax.net.ssl.KeyManagerFactory tls;

    /** @param keys the server's key and certificate: the receiver then speaks gRPC over TLS @return this */
    OtlpReceiver tls(javax.net.ssl.KeyManagerFactory keys) {
        this.tls = keys;
        return this;
    }

    public OtlpReceiver start() throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
        if (tls != null) {
            builder.sslContext(io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.configure(
                    io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forServer(tls)).build());
        }
        server = builder
                .addService(ServerInterceptors.intercept(new Traces(), new HeaderCapture()))
                .addService(ServerInterceptors.intercept(new Metrics(), new HeaderCapture()))
                .addService(ServerInterceptors.intercept(new Logs(), new HeaderCapture()))
                .build()
                .start();
        port = server.getPort();
        return this;
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public void stop() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** @return every span received so far */
    public List<Span> spans() {
        List<Span> out = new ArrayList<>();
        for (ExportTraceServiceRequest r : traceRequests) {
            r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList())));
        }
        return out;
    }

    /** @return every metric received so far, in arrival order */
    public List<Metric> metrics() {
        List<Metric> out = new ArrayList<>();
        for (ExportMetricsServiceRequest r : metricRequests) {
            r.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> out.addAll(sm.getMetricsList())));
        }
        return out;
    }

    /** @return every log record (event) received so far, in arrival order */
    public List<LogRecord> logRecords() {
        List<LogRecord> out = new ArrayList<>();
        for (ExportLogsServiceRequest r : logRequests) {
            r.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> out.addAll(sl.getLogRecordsList())));
        }
        return out;
    }

    public void clear() {
        traceRequests.clear();
        metricRequests.clear();
        logRequests.clear();
        requestHeaders.clear();
        refuseWith = null;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the request and answers OK, or refuses it with {@link #refuseWith} when that is set. */
    private <Q, A> void receive(Q request, List<Q> into, A ok, StreamObserver<A> response) {
        io.grpc.Status refusal = refuseWith;
        if (refusal != null) {
            response.onError(refusal.asRuntimeException());
            return;
        }
        into.add(request);
        response.onNext(ok);
        response.onCompleted();
    }

    private final class Traces extends TraceServiceGrpc.TraceServiceImplBase {
        @Override
        public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
            receive(request, traceRequests, ExportTraceServiceResponse.getDefaultInstance(), response);
        }
    }

    private final class Metrics extends MetricsServiceGrpc.MetricsServiceImplBase {
        @Override
        public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> response) {
            receive(request, metricRequests, ExportMetricsServiceResponse.getDefaultInstance(), response);
        }
    }

    private final class Logs extends LogsServiceGrpc.LogsServiceImplBase {
        @Override
        public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> response) {
            receive(request, logRequests, ExportLogsServiceResponse.getDefaultInstance(), response);
        }
    }

    private final class HeaderCapture implements ServerInterceptor {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                           ServerCallHandler<Q, A> next) {
            Map<String, String> copy = new java.util.LinkedHashMap<>();
            for (String key : headers.keys()) {
                if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    copy.put(key, headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)));
                }
            }
            requestHeaders.add(copy);
            return next.startCall(call, headers);
        }
    }
}
