package dev.llmhub.e2e;

import dev.llmhub.plugin.langfuse.OtlpSpans;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OTLP/gRPC receiver of {@code bench/pipeline.sh}: the same three services as the otel tests'
 * {@code OtlpReceiver}, but it keeps nothing and decodes only one request in {@code n} with the official
 * protos (a request that does not decode is refused and counted as a violation); the others are taken as
 * bytes and their spans counted from the wire ({@link OtlpSpans#count}), which is still a full walk of
 * the request's framing. Decoding every span into objects was a third of the receivers' CPU on the
 * proxy's own two cores; with {@code n = 1} every request is decoded.
 */
final class BenchOtlpReceiver implements AutoCloseable {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong decoded = new AtomicLong();
    final AtomicLong spans = new AtomicLong();
    final AtomicLong violations = new AtomicLong();
    volatile String firstViolation = "";
    private final int decodeOneIn;
    private final Server server;

    /** What a request is decoded with when it is one of the sampled ones. */
    private interface Decoder {
        /** @return the spans in the decoded request (0 for metrics and logs) */
        long decode(byte[] request) throws IOException;
    }

    BenchOtlpReceiver(int decodeOneIn) {
        this.decodeOneIn = decodeOneIn;
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(service(TraceServiceGrpc.SERVICE_NAME, TraceServiceGrpc.getExportMethod().getFullMethodName(),
                            bytes -> ExportTraceServiceRequest.parseFrom(bytes).getResourceSpansList().stream()
                                    .flatMap(rs -> rs.getScopeSpansList().stream()).mapToLong(ss -> ss.getSpansCount()).sum(),
                            true))
                    .addService(service(MetricsServiceGrpc.SERVICE_NAME, MetricsServiceGrpc.getExportMethod().getFullMethodName(),
                            bytes -> {
                                ExportMetricsServiceRequest.parseFrom(bytes);
                                return 0;
                            }, false))
                    .addService(service(LogsServiceGrpc.SERVICE_NAME, LogsServiceGrpc.getExportMethod().getFullMethodName(),
                            bytes -> {
                                ExportLogsServiceRequest.parseFrom(bytes);
                                return 0;
                            }, false))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private ServerServiceDefinition service(String name, String method, Decoder decoder, boolean traces) {
        MethodDescriptor<byte[], byte[]> export = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(method)
                .setRequestMarshaller(RAW)
                .setResponseMarshaller(RAW)
                .build();
        return ServerServiceDefinition.builder(name)
                .addMethod(export, ServerCalls.asyncUnaryCall((request, response) -> {
                    long n = requests.getAndIncrement();
                    try {
                        if (n % decodeOneIn == 0) {
                            long got = decoder.decode(request);
                            decoded.incrementAndGet();
                            if (traces && got != OtlpSpans.count(request)) {
                                violation("a trace request's span count differs between its decoding and its wire walk");
                            }
                            spans.addAndGet(got);
                        } else if (traces) {
                            spans.addAndGet(OtlpSpans.count(request));
                        }
                    } catch (IOException e) {
                        violation("an OTLP request that the official protos cannot decode: " + e.getMessage());
                        response.onError(Status.INVALID_ARGUMENT.withDescription("undecodable request").asRuntimeException());
                        return;
                    }
                    // An empty Export*ServiceResponse: all its fields are optional.
                    response.onNext(new byte[0]);
                    response.onCompleted();
                }))
                .build();
    }

    private void violation(String what) {
        if (violations.getAndIncrement() == 0) {
            firstViolation = what;
        }
    }

    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
    }
}
