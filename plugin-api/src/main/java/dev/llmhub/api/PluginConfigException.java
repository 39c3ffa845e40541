package dev.llmhub.api;

/**
 * A plugin's settings are wrong. The message must say which key and what is expected, and must not
 * contain a secret; the proxy prints it and refuses to start (exit code 2).
 */
public class PluginConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message which key is wrong and what is expected */
    public PluginConfigException(String message) {
        super(message);
    }

    /** @param message which key is wrong and what is expected @param cause the underlying error */
    public PluginConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
