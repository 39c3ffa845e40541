package dev.llmhub.core.plugin;

/** A zip that cannot become a running plugin; the message says why, in one line. */
final class PluginLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PluginLoadException(String message) {
        super(message, null, false, false);
    }
}
