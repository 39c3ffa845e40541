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

    /** A plugin built without PF4J's extension index (STACK.md trap 1: the JDK 23+ annotation processing change). */
    public static Path withoutExtensionIndex() {
        return BUILT.computeIfAbsent("noindex", k -> {
            Path source = swap("1.0.0");
            Path out = STORE.resolve("noindex-1.0.0.zip");
            try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(source.toFile());
                 java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(out))) {
                for (java.util.zip.ZipEntry e : java.util.Collections.list(in.entries())) {
                    if (e.getName().endsWith("extensions.idx")) {
                        continue;
                    }
                    byte[] bytes = in.getInputStream(e).readAllBytes();
                    if (e.getName().equals("plugin.properties")) {
                        bytes = new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                                .replace("plugin.id=swap", "plugin.id=noindex").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    }
                    zip.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    zip.write(bytes);
                    zip.closeEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
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
