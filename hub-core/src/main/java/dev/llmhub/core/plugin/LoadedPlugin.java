package dev.llmhub.core.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * A started plugin.
 *
 * @param id          plugin id
 * @param version     plugin version
 * @param zip         the zip it came from
 * @param fingerprint the zip's size and time when loaded
 * @param expanded    the private folder it runs from
 * @param extensions  what it offers, with the names the config may use
 * @param loader      its class loader
 */
record LoadedPlugin(String id, String version, Path zip, PluginDirectory.Fingerprint fingerprint, Path expanded,
                    List<ExtensionRef> extensions, ClassLoader loader) {
    LoadedPlugin {
        extensions = List.copyOf(extensions);
    }

    List<String> names() {
        return extensions.stream().flatMap(e -> e.names().stream()).toList();
    }

    PluginStatus status() {
        return new PluginStatus(id, version, zip.getFileName().toString(), "started", names(), java.util.Optional.empty());
    }
}
