package dev.llmhub.api;

/**
 * Metrics a plugin may add to the proxy's {@code /metrics}. The core already counts every record a
 * destination exports, retries, fails or drops; use this only for what only the plugin knows.
 */
public interface PluginMetrics {

    /**
     * Returns the counter with this name, creating it on first use. It is exposed as
     * {@code llmhub_plugin_<name>_total} with a {@code destination} label.
     *
     * @param name        snake_case name, e.g. {@code documents_rejected}
     * @param description what it counts
     * @return the counter
     */
    Counter counter(String name, String description);

    /** A monotonically increasing count. */
    interface Counter {
        /** @param amount how much to add, not negative */
        void add(long amount);

        /** Adds one. */
        default void increment() {
            add(1);
        }
    }
}
