package dev.llmhub.api;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the proxy gives a plugin's factory: its own settings, the environment, a logger, metrics and
 * the proxy version. One context per configured destination or handler name.
 */
public interface PluginContext {

    /** @return the name the config used, e.g. {@code otel} or {@code custom_callbacks.proxy_handler_instance} */
    String name();

    /**
     * @return this plugin's settings from {@code callback_settings.<name>} (also accepted under
     *         {@code litellm_settings}), with {@code os.environ/NAME} values already resolved
     */
    PluginSettings settings();

    /**
     * Looks up an environment variable, including the defaults the config's
     * {@code environment_variables} section sets.
     *
     * @param name variable name, e.g. {@code OTEL_ENDPOINT}
     * @return its value, when set and not blank
     */
    Optional<String> env(String name);

    /** @return a logger named after this plugin; messages must never contain a secret */
    System.Logger logger();

    /** @return counters that appear on the proxy's {@code /metrics}, tagged with this plugin's name */
    PluginMetrics metrics();

    /** @return the running proxy's version, e.g. {@code 0.1.0} */
    String proxyVersion();

    /**
     * Writes a value as JSON with the proxy's own serializer: a {@link CallRecord} in its documented
     * snake_case form, or a JSON-like tree of maps, lists, strings, numbers, booleans and nulls.
     *
     * @param value what to write
     * @return compact JSON
     */
    String toJson(Object value);

    /**
     * {@link #toJson(Object)} as UTF-8 bytes, for a destination that writes bytes (a file, a topic): the
     * proxy hands a record it has just journaled over as the journal's own encoding, without a round trip
     * through a {@code String}. The array is the caller's own.
     *
     * @param value what to write
     * @return compact JSON, UTF-8
     */
    default byte[] toJsonUtf8(Object value) {
        return toJson(value).getBytes(StandardCharsets.UTF_8);
    }
}
