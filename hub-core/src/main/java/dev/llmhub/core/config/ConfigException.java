package dev.llmhub.core.config;

/**
 * The configuration is wrong. The message is complete and readable on its own (file, line, key,
 * what is expected), never contains a secret, and is printed without a stack trace before the proxy
 * exits with status 2.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message file, line, key and what is wrong */
    public ConfigException(String message) {
        super(message);
    }

    /** @param message file, line, key and what is wrong @param cause the underlying error */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
