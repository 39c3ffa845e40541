package dev.llmhub.core.gateway;

/**
 * A request the proxy refuses, carrying the answer to send. The server throws it wherever it refuses
 * one (a wrong key, an unreadable body, an unknown route) and answers it in one place, which also
 * records the refusal.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ApiError error;

    public ApiException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    /** @return what the client is told */
    public ApiError error() {
        return error;
    }
}
