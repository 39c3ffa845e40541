package dev.llmhub.core.delivery;

import java.util.Optional;

/**
 * What the admin API shows about one lane.
 *
 * @param name          the destination or handler name from the config
 * @param kind          {@code destination} or {@code handler}
 * @param state         {@code active} (a plugin serves it), {@code waiting} (no provider: records held),
 *                      {@code closed}
 * @param plugin        plugin id serving the lane, when active
 * @param pluginVersion its version, when active
 * @param records       which records it receives: {@code all}, {@code success} or {@code failure}
 * @param queueDepth    records waiting in the lane
 * @param counters      outcomes so far
 */
public record LaneStatus(String name, String kind, String state, Optional<String> plugin,
                         Optional<String> pluginVersion, String records, long queueDepth, LaneCounters counters) {
}
