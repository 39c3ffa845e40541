package dev.llmhub.plugin.langfuse;

import dev.llmhub.api.ExportResult;
import java.util.List;

/** Sends generations to {@code POST /api/public/otel/v1/traces} as OTLP/HTTP protobuf, one request per batch. */
final class OtelExport {
    static final String PATH = "/api/public/otel/v1/traces";

    private final LangfuseHttp http;
    private final OtlpEncoder encoder;
    private final AnswerMapper answers;

    OtelExport(LangfuseHttp http, OtlpEncoder encoder, AnswerMapper answers) {
        this.http = http;
        this.encoder = encoder;
        this.answers = answers;
    }

    ExportResult send(List<Generation> generations) {
        byte[] body = encoder.encode(generations).toByteArray();
        LangfuseHttp.Answer answer;
        try {
            answer = http.post(PATH, "application/x-protobuf", body);
        } catch (RuntimeException e) {
            return answers.unreachable(e);
        }
        return answers.map(answer, PATH);
    }
}
