package dev.llmhub.core.plugin;

import java.util.List;

/**
 * What a reload of the plugins directory did.
 *
 * @param loaded   plugin ids newly loaded
 * @param replaced plugin ids swapped for another version
 * @param unloaded plugin ids whose zip was removed
 * @param failed   "file: reason" for each zip that could not be loaded
 */
public record ReloadReport(List<String> loaded, List<String> replaced, List<String> unloaded, List<String> failed) {
    public ReloadReport {
        loaded = List.copyOf(loaded);
        replaced = List.copyOf(replaced);
        unloaded = List.copyOf(unloaded);
        failed = List.copyOf(failed);
    }

    /** @param later a reload that followed this one @return both together */
    public ReloadReport and(ReloadReport later) {
        return new ReloadReport(concat(loaded, later.loaded), concat(replaced, later.replaced),
                concat(unloaded, later.unloaded), concat(failed, later.failed));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
