package dev.llmhub.server;

import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.core.provider.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes error answers: OpenAI's shape {@code {"error": {"message","type","param","code"}}}, or the
 * route's own ({@link ErrorShape}).
 */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static void send(ServerResponse res, ApiError error) {
        send(res, error, ErrorShape.OPENAI);
    }

    static void send(ServerResponse res, ApiError error, ErrorShape shape) {
        if (res.isSent()) {
            return;
        }
        res.status(shape.status(error));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        error.retryAfter().ifPresent(d -> res.header(HeaderNames.RETRY_AFTER,
                Long.toString(Math.max(1, (d.toMillis() + 999) / 1000))));
        try {
            res.send(Json.MAPPER.writeValueAsBytes(shape.body(error)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(ApiError error) {
        try {
            return Json.MAPPER.writeValueAsBytes(error.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void send(ServerResponse res, int status, String message, String code) {
        send(res, ApiError.of(status, message, code));
    }

    static void send(ServerResponse res, int status, String message, String code, ErrorShape shape) {
        send(res, ApiError.of(status, message, code), shape);
    }
}
