package dev.llmhub.core.delivery;

import java.util.Map;

/**
 * Everything that defines a lane: when any part changes on a config reload, the lane is rebuilt
 * (a new plugin instance with the new settings, the same cursor).
 *
 * @param name             destination or handler name
 * @param kind             what it feeds
 * @param subscription     which records it receives
 * @param settings         lane settings
 * @param pluginSettings   {@code callback_settings.<name>} as the plugin sees it
 * @param environment      {@code environment_variables}, the plugin's defaults for unset variables
 */
record LaneSpec(String name, LaneKind kind, Subscription subscription, LaneSettings settings,
                Map<String, Object> pluginSettings, Map<String, String> environment) {
}
