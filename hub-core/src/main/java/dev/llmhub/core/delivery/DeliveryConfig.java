package dev.llmhub.core.delivery;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of the config the delivery pipeline and the plugin host read. Filled by the config loader
 * from LiteLLM's keys.
 *
 * @param callbacks              {@code litellm_settings.callbacks}: names that get every record and event
 * @param successCallbacks       {@code litellm_settings.success_callback}: names that get successes only
 * @param failureCallbacks       {@code litellm_settings.failure_callback}: names that get failures only
 * @param otel                   {@code general_settings.otel: true}, the same as naming {@code otel}
 * @param callbackSettings       {@code callback_settings.<name>} (top level or under
 *                               {@code litellm_settings}), values with {@code os.environ/} resolved
 * @param turnOffMessageLogging  {@code litellm_settings.turn_off_message_logging}
 * @param redactHeaders          {@code general_settings.redact_headers}: more header names to redact
 * @param environmentDefaults    {@code environment_variables}: defaults for unset environment variables
 */
public record DeliveryConfig(List<String> callbacks, List<String> successCallbacks,
                             List<String> failureCallbacks, boolean otel,
                             Map<String, Map<String, Object>> callbackSettings,
                             boolean turnOffMessageLogging, List<String> redactHeaders,
                             Map<String, String> environmentDefaults) {
    public DeliveryConfig {
        callbacks = List.copyOf(callbacks);
        successCallbacks = List.copyOf(successCallbacks);
        failureCallbacks = List.copyOf(failureCallbacks);
        callbackSettings = Map.copyOf(Objects.requireNonNull(callbackSettings, "callbackSettings is null"));
        redactHeaders = List.copyOf(redactHeaders);
        environmentDefaults = Map.copyOf(environmentDefaults);
    }

    /** @return a config that enables no destination */
    public static DeliveryConfig none() {
        return new DeliveryConfig(List.of(), List.of(), List.of(), false, Map.of(), false, List.of(), Map.of());
    }
}
