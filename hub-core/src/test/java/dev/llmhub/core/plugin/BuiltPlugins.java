package dev.llmhub.core.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test plugin zips, compiled once per test JVM and copied into each test's plugins directory. */
public final class BuiltPlugins {
    private static final Path STORE;
    private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

    static {
        try {
            STORE = Files.createTempDirectory("llmhub-test-plugin-store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BuiltPlugins() {
    }

    /** The faulty plugin: collect, throwing, hanging, slow, linkage, failclose, picky, handler, throwing_handler. */
    public static Path faulty() {
        return BUILT.computeIfAbsent("faulty", k -> build("faulty", "faulty", "1.0.0", Map.of()));
    }

    /** The swap plugin at a version (its records say which version exported them). */
    public static Path swap(String version) {
        return BUILT.computeIfAbsent("swap-" + version, k -> build("swap", "swap", version, Map.of()));
    }

    /** A plugin that wrongly bundles its own copy of the plugin API. */
    public static Path bundlesApi() {
        return BUILT.computeIfAbsent("bundled", k -> {
            try {
                return build("swap", "bundled", "1.0.0", Map.of("classes/dev/llmhub/api/CallRecord.class",
                        TestPlugins.apiClassBytes("dev/llmhub/api/CallRecord.class")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Copies a built zip into a plugins directory, atomically (as a deploy script would). */
    public static Path install(Path zip, Path pluginsDir) {
        try {
            Files.createDirectories(pluginsDir);
            Path tmp = pluginsDir.resolve(".incoming-" + zip.getFileName() + ".part");
            Files.copy(zip, tmp, StandardCopyOption.REPLACE_EXISTING);
            return Files.move(tmp, pluginsDir.resolve(zip.getFileName()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path build(String source, String id, String version, Map<String, byte[]> extra) {
        try {
            return TestPlugins.build(source, id, version, STORE.resolve(id + "-" + version), extra);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
