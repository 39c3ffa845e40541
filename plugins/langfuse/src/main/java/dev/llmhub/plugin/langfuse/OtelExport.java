package dev.llmhub.plugin.langfuse;

import com.google.protobuf.CodedOutputStream;
import dev.llmhub.api.ExportResult;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code POST /api/public/otel/v1/traces}: OTLP/HTTP protobuf, gzip-compressed unless turned off, with
 * {@code x-langfuse-ingestion-version: 4}, the header Langfuse asks OTel exporters to send so their spans
 * take the direct write path and show within seconds (docs/destinations/langfuse.md, "Headers").
 */
final class OtelExport implements Wire<OtelExport.Part> {
    static final String PATH = "/api/public/otel/v1/traces";
    static final String INGESTION_VERSION = "4";
    /** Room for the length prefixes of the request's nested messages, which grow with their content. */
    private static final int FRAMING_SLACK = 16;

    /** One record's span, with its size as a field of the request. */
    record Part(Generation generation, Span span, int size) {
    }

    private final OtlpEncoder encoder;
    private final boolean gzip;
    private final int overhead;

    OtelExport(OtlpEncoder encoder, boolean gzip) {
        this.encoder = encoder;
        this.gzip = gzip;
        this.overhead = encoder.emptyRequestSize() + FRAMING_SLACK;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public Part encode(Generation g) {
        Span span = encoder.span(g);
        // Spans are field 2 of ScopeSpans: tag, length, message.
        return new Part(g, span, CodedOutputStream.computeMessageSize(2, span));
    }

    @Override
    public Generation generation(Part part) {
        return part.generation();
    }

    @Override
    public int size(Part part) {
        return part.size();
    }

    @Override
    public int overhead() {
        return overhead;
    }

    @Override
    public byte[] body(List<Part> parts) {
        return encoder.request(parts.stream().map(Part::span).toList()).toByteArray();
    }

    @Override
    public LangfuseHttp.Answer post(LangfuseHttp http, byte[] body) {
        if (!gzip) {
            return http.post(PATH, "application/x-protobuf", body, "x-langfuse-ingestion-version", INGESTION_VERSION);
        }
        return http.post(PATH, "application/x-protobuf", gzip(body), "Content-Encoding", "gzip",
                "x-langfuse-ingestion-version", INGESTION_VERSION);
    }

    @Override
    public void accepted(LangfuseHttp.Answer answer, List<Part> parts, Map<String, ExportResult> failed) {
        // A 2xx takes the whole request.
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream z = new FastestGzip(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot gzip a request body in memory", e);
        }
        return out.toByteArray();
    }

    /**
     * gzip at level 1: the default level 6 took a fifth of the lane's CPU per record; level 1 costs a
     * fraction of that for a body a little larger (bench/pipeline.sh, docs/performance.md).
     */
    private static final class FastestGzip extends GZIPOutputStream {
        FastestGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 8192);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
