package dev.llmhub.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the config enables on the delivery side: names, their settings and the proxy-wide redaction
 * rules. Plain data, filled by the config loader from LiteLLM's keys.
 *
 * @param callbacks             {@code litellm_settings.callbacks}: names that get every record and event
 * @param successCallbacks      {@code litellm_settings.success_callback}: names that get successes only
 * @param failureCallbacks      {@code litellm_settings.failure_callback}: names that get failures only
 * @param otel                  {@code general_settings.otel: true}, the same as naming {@code otel}
 * @param callbackSettings      {@code callback_settings.<name>} (top level or under
 *                              {@code litellm_settings}), values with {@code os.environ/} resolved: what
 *                              the plugin sees
 * @param tuning                the lane keys of {@code callback_settings.<name>}, validated, by name
 * @param turnOffMessageLogging {@code litellm_settings.turn_off_message_logging}
 * @param redactHeaders         {@code general_settings.redact_headers}: more header names to redact
 * @param environmentDefaults   {@code environment_variables}: defaults for unset environment variables
 */
public record DeliveryConfig(List<String> callbacks, List<String> successCallbacks,
                             List<String> failureCallbacks, boolean otel,
                             Map<String, Map<String, Object>> callbackSettings, Map<String, LaneTuning> tuning,
                             boolean turnOffMessageLogging, List<String> redactHeaders,
                             Map<String, String> environmentDefaults) {
    public DeliveryConfig {
        callbacks = List.copyOf(Objects.requireNonNull(callbacks, "callbacks is null"));
        successCallbacks = List.copyOf(Objects.requireNonNull(successCallbacks, "successCallbacks is null"));
        failureCallbacks = List.copyOf(Objects.requireNonNull(failureCallbacks, "failureCallbacks is null"));
        callbackSettings = Map.copyOf(Objects.requireNonNull(callbackSettings, "callbackSettings is null"));
        tuning = Map.copyOf(Objects.requireNonNull(tuning, "tuning is null"));
        redactHeaders = List.copyOf(Objects.requireNonNull(redactHeaders, "redactHeaders is null"));
        environmentDefaults = Map.copyOf(Objects.requireNonNull(environmentDefaults, "environmentDefaults is null"));
    }

    /** @return a config that enables no destination */
    public static DeliveryConfig none() {
        return new DeliveryConfig(List.of(), List.of(), List.of(), false, Map.of(), Map.of(), false, List.of(), Map.of());
    }

    /** @param name a destination name @return its {@code callback_settings}, empty when it has none */
    public Map<String, Object> settingsOf(String name) {
        return callbackSettings.getOrDefault(name, Map.of());
    }

    /** @param name a destination name @return its lane keys, all unset when it has none */
    public LaneTuning tuningOf(String name) {
        return tuning.getOrDefault(name, LaneTuning.NONE);
    }
}
