package dev.llmhub.core.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who offers which name, as one immutable snapshot: the started plugins and the zips that are not
 * running (failed or superseded) with why. The host swaps in a new catalog after each change, so
 * lookups never wait for a reload and never see one half done.
 *
 * <p>A name is {@code <plugin-id>} (a plugin's only extension, or the one named like the plugin) or
 * {@code <plugin-id>.<name>}. Two plugins can never offer the same name: the second one is refused at
 * load ({@link #conflicts}).
 */
final class ExtensionCatalog {
    static final ExtensionCatalog EMPTY = new ExtensionCatalog(Map.of(), Map.of());

    private final Map<String, LoadedPlugin> started;
    private final Map<Path, PluginStatus> notRunning;

    private ExtensionCatalog(Map<String, LoadedPlugin> started, Map<Path, PluginStatus> notRunning) {
        this.started = Map.copyOf(started);
        this.notRunning = Map.copyOf(notRunning);
    }

    Optional<LoadedPlugin> plugin(String id) {
        return Optional.ofNullable(started.get(id));
    }

    Collection<LoadedPlugin> started() {
        return started.values();
    }

    Optional<PluginStatus> notRunning(Path zip) {
        return Optional.ofNullable(notRunning.get(zip));
    }

    /** @param name a configured name @return the extension offering it, if a started plugin does */
    Optional<ExtensionRef> resolve(String name) {
        for (LoadedPlugin p : started.values()) {
            for (ExtensionRef e : p.extensions()) {
                if (e.names().contains(name)) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param candidate a plugin about to join (replacing any plugin with its id)
     * @return why it cannot, when one of its names is already offered by another plugin
     */
    Optional<String> conflicts(LoadedPlugin candidate) {
        for (String name : candidate.names()) {
            for (LoadedPlugin other : started.values()) {
                if (!other.id().equals(candidate.id()) && other.names().contains(name)) {
                    return Optional.of("its name '" + name + "' is already offered by " + other.id() + " "
                            + other.version() + " (" + other.zip().getFileName() + "); remove one of the two zips");
                }
            }
        }
        return Optional.empty();
    }

    ExtensionCatalog withStarted(LoadedPlugin p) {
        Map<String, LoadedPlugin> s = new TreeMap<>(started);
        s.put(p.id(), p);
        Map<Path, PluginStatus> n = new TreeMap<>(notRunning);
        n.remove(p.zip());
        return new ExtensionCatalog(s, n);
    }

    ExtensionCatalog withoutStarted(String id) {
        Map<String, LoadedPlugin> s = new TreeMap<>(started);
        s.remove(id);
        return new ExtensionCatalog(s, notRunning);
    }

    ExtensionCatalog withNotRunning(Path zip, PluginStatus status) {
        Map<Path, PluginStatus> n = new TreeMap<>(notRunning);
        n.put(zip, status);
        return new ExtensionCatalog(started, n);
    }

    /** Keeps the not-running entries of zips still present. */
    ExtensionCatalog retainNotRunning(Collection<Path> present) {
        Map<Path, PluginStatus> n = new TreeMap<>(notRunning);
        n.keySet().retainAll(present);
        return new ExtensionCatalog(started, n);
    }

    /** @return every zip: started, failed or superseded */
    List<PluginStatus> statuses() {
        List<PluginStatus> out = new ArrayList<>();
        new TreeMap<>(started).values().forEach(p -> out.add(p.status()));
        out.addAll(new TreeMap<>(notRunning).values());
        return out;
    }

    /** @return one line per installed plugin with its names, for error messages */
    String describe(Path dir) {
        if (started.isEmpty() && notRunning.isEmpty()) {
            return "no plugins are installed in " + dir;
        }
        StringBuilder sb = new StringBuilder("installed plugins in " + dir + ":");
        for (LoadedPlugin l : new TreeMap<>(started).values()) {
            sb.append("\n  ").append(l.id()).append(' ').append(l.version()).append(" (").append(l.zip().getFileName())
                    .append("): ").append(String.join(", ", l.names()));
        }
        for (PluginStatus s : new TreeMap<>(notRunning).values()) {
            sb.append("\n  ").append(s.file()).append(": ").append(s.state()).append(" - ").append(s.error().orElse(""));
        }
        return sb.toString();
    }
}
