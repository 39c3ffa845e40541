package dev.llmhub.plugin.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks what the build produced, because the two classic plugin mistakes fail silently at run time:
 * a missing {@code META-INF/extensions.idx} (JDK 23+ skips annotation processors on the class path,
 * and PF4J then finds no extension) and a zip that bundles a jar the host shares (plugin-api, PF4J,
 * SLF4J), which makes PF4J drop the extension with a {@code LinkageError}.
 */
public final class PluginZipCheck {
    /** System property naming the built zip; the plugin parent's failsafe configuration sets it. */
    public static final String ZIP_PROPERTY = "plugin.zip";

    /** Jar name prefixes that must never be in a plugin's {@code lib/}: the host shares them. */
    public static final List<String> HOST_SHARED_JARS = List.of("llmhub-plugin-api-", "pf4j-", "slf4j-api-");

    private static final String INDEX = "META-INF/extensions.idx";

    private PluginZipCheck() {
    }

    /**
     * @return the zip named by the {@value #ZIP_PROPERTY} system property (set for integration tests
     *         by the plugin parent), after checking it exists
     */
    public static Path builtZip() {
        String p = System.getProperty(ZIP_PROPERTY);
        if (p == null || p.isBlank()) {
            throw new AssertionError("system property " + ZIP_PROPERTY + " is not set: run this test with "
                    + "maven-failsafe-plugin in a module whose parent is llmhub-plugin-parent");
        }
        Path zip = Path.of(p);
        if (!Files.isRegularFile(zip)) {
            throw new AssertionError("no plugin zip at " + zip + ": is maven-assembly-plugin listed in the module?");
        }
        return zip;
    }

    /**
     * Reads an extension index.
     *
     * @param classesDir a compiled classes directory, e.g. {@code target/classes}
     * @return the class names listed in its {@code META-INF/extensions.idx}
     * @throws AssertionError when there is no index
     */
    public static List<String> extensionIndex(Path classesDir) {
        Path idx = classesDir.resolve(INDEX);
        if (!Files.isRegularFile(idx)) {
            throw new AssertionError("no " + idx + ": PF4J's annotation processor did not run (declare org.pf4j:pf4j "
                    + "under maven-compiler-plugin annotationProcessorPaths; JDK 23+ skips processors on the class path)");
        }
        try {
            return parseIndex(Files.readString(idx, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param classesDir a compiled classes directory, e.g. {@code target/classes}
     * @param extensions classes annotated {@code @Extension} that the index must list
     */
    public static void assertIndexed(Path classesDir, Class<?>... extensions) {
        List<String> listed = extensionIndex(classesDir);
        for (Class<?> e : extensions) {
            if (!listed.contains(e.getName())) {
                throw new AssertionError(classesDir.resolve(INDEX) + " does not list " + e.getName()
                        + " (is it annotated @org.pf4j.Extension?); it lists " + listed);
            }
        }
    }

    /**
     * Checks a plugin zip's layout: {@code plugin.properties} at the root with this id and a filtered
     * version, {@code classes/META-INF/extensions.idx} listing the extensions, and no jar the host
     * shares in {@code lib/}. Every problem found is in the one {@link AssertionError}.
     *
     * @param zip             the built zip
     * @param pluginId        the expected {@code plugin.id}
     * @param extensionNames  fully qualified names of the extensions the index must list
     */
    public static void assertLayout(Path zip, String pluginId, String... extensionNames) {
        List<String> problems = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry props = z.getEntry("plugin.properties");
            if (props == null) {
                problems.add("no plugin.properties at the root");
            } else {
                Properties p = new Properties();
                try (InputStream in = z.getInputStream(props)) {
                    p.load(in);
                }
                if (!pluginId.equals(p.getProperty("plugin.id"))) {
                    problems.add("plugin.id is " + p.getProperty("plugin.id") + ", expected " + pluginId);
                }
                String version = p.getProperty("plugin.version", "");
                if (version.isBlank() || version.contains("${")) {
                    problems.add("plugin.version is '" + version + "' (not filtered?)");
                }
            }
            ZipEntry idx = z.getEntry("classes/" + INDEX);
            if (idx == null) {
                problems.add("no classes/" + INDEX + " (PF4J would find no extension)");
            } else {
                List<String> listed;
                try (InputStream in = z.getInputStream(idx)) {
                    listed = parseIndex(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                for (String e : extensionNames) {
                    if (!listed.contains(e)) {
                        problems.add("classes/" + INDEX + " does not list " + e + "; it lists " + listed);
                    }
                }
            }
            z.stream().map(ZipEntry::getName).forEach(name -> {
                String file = name.substring(name.lastIndexOf('/') + 1);
                if (name.startsWith("lib/") && HOST_SHARED_JARS.stream().anyMatch(file::startsWith)) {
                    problems.add(name + " is shared by the host and must not be bundled (mark it provided)");
                }
                if (name.startsWith("classes/dev/llmhub/api/") || name.startsWith("classes/org/pf4j/")) {
                    problems.add(name + " is a host class copied into the plugin");
                }
            });
        } catch (IOException e) {
            throw new AssertionError("cannot read " + zip + ": " + e, e);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(zip.getFileName() + ":\n  " + String.join("\n  ", problems));
        }
    }

    private static List<String> parseIndex(String text) {
        return Arrays.stream(text.split("\\R"))
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }
}
