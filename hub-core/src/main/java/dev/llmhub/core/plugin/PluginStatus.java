package dev.llmhub.core.plugin;

import java.util.List;
import java.util.Optional;

/**
 * What the admin API shows about one plugin zip.
 *
 * @param id      plugin id (from plugin.properties; the file name when unreadable)
 * @param version plugin version
 * @param file    zip file name in the plugins directory
 * @param state   {@code started}, {@code failed} or {@code superseded} (a newer zip with the same id is loaded)
 * @param names   the names the config may use for its extensions
 * @param error   why it failed, when it did
 */
public record PluginStatus(String id, String version, String file, String state, List<String> names,
                           Optional<String> error) {
}
