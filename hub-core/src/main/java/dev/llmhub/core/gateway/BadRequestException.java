package dev.llmhub.core.gateway;

/** The request body is well-formed JSON but not a valid request; carries the answer to send. */
public final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ApiError error;

    public BadRequestException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
