package dev.llmhub.server;

import dev.llmhub.core.gateway.ApiError;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Answers the failures Helidon handles before routing (unparseable request line or headers, bad
 * encodings…) in OpenAI's error shape too, instead of an empty or plain-text body.
 */
final class JsonDirectHandler implements DirectHandler {

    /** @return direct handlers that all answer OpenAI-shaped JSON */
    static DirectHandlers all() {
        JsonDirectHandler h = new JsonDirectHandler();
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            b.addHandler(type, h);
        }
        return b.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        // an internal error's message may carry exception details: never show them to the client
        String text = status.code() >= 500 || message == null || message.isBlank()
                ? status.reasonPhrase().toLowerCase(java.util.Locale.ROOT)
                : message.length() > 200 ? message.substring(0, 200) : message;
        byte[] body = ErrorResponses.bytes(ApiError.of(status.code(), text, null));
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        return TransportResponse.builder().status(status).headers(headers).entity(body).build();
    }
}
