package dev.llmhub.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expanded zips kept between starts ({@link PluginDirectory}): a second start loads from the folder the
 * first one made, and a zip replaced by other bytes loads its own code, even when the new zip has the
 * old one's size and modification time (STACK.md, PF4J trap 4).
 */
class ExpandedPluginsTest {
    @TempDir
    Path plugins;
    @TempDir
    Path expanded;

    @Test
    void aSecondStartLoadsFromTheFolderTheFirstStartExpanded() throws Exception {
        Files.copy(BuiltPlugins.swap("1.0.0"), plugins.resolve("swap.zip"));
        Path folder;
        try (PluginHost host = new PluginHost(plugins, Optional.of(expanded))) {
            host.loadFor(List.of("swap"));
            assertEquals("1.0.0", runningVersion(host));
            folder = single(folders());
        }
        // Closing keeps the folder; a marker shows that the next start does not expand the zip again.
        Path marker = Files.writeString(folder.resolve("not-from-the-zip"), "");
        try (PluginHost host = new PluginHost(plugins, Optional.of(expanded))) {
            host.loadFor(List.of("swap"));
            assertEquals("1.0.0", runningVersion(host));
            assertEquals(List.of(folder), folders());
            assertTrue(Files.exists(marker), "the second start expanded the zip again");
        }
    }

    @Test
    void aKeptFolderThatLostAFileIsExpandedAgain() throws Exception {
        Files.copy(BuiltPlugins.swap("1.0.0"), plugins.resolve("swap.zip"));
        try (PluginHost host = new PluginHost(plugins, Optional.of(expanded))) {
            host.loadFor(List.of("swap"));
        }
        Path folder = single(folders());
        Path factory;
        try (Stream<Path> s = Files.walk(folder)) {
            factory = s.filter(p -> p.toString().endsWith("SwapDestination.class")).findFirst().orElseThrow();
        }
        Files.delete(factory); // as a clean-up of old files under /tmp would
        try (PluginHost host = new PluginHost(plugins, Optional.of(expanded))) {
            host.loadFor(List.of("swap"));
            assertEquals("1.0.0", runningVersion(host));
            assertTrue(Files.exists(factory));
        }
    }

    @Test
    void aZipReplacedByOtherBytesOfTheSameSizeAndTimeLoadsTheNewCodeAtTheNextStart() throws Exception {
        Runnable replace = installOneOfASameSizePair();
        Path old;
        try (PluginHost host = new PluginHost(plugins, Optional.of(expanded))) {
            host.loadFor(List.of("swap"));
            assertEquals("1.0.1", runningVersion(host));
            old = single(folders());
        }
        replace.run();
        try (PluginHost host = new PluginHost(plugins, Optional.of(expanded))) {
            host.loadFor(List.of("swap"));
            assertEquals("1.0.2", runningVersion(host));
            Path now = single(folders());
            assertFalse(now.equals(old), "the new bytes ran from the old bytes' folder");
            assertFalse(Files.exists(old), "the old bytes' folder was not cleaned up");
        }
    }

    @Test
    void aZipReplacedByOtherBytesOfTheSameSizeAndTimeIsReloadedWhileRunning() throws Exception {
        Runnable replace = installOneOfASameSizePair();
        try (PluginHost host = new PluginHost(plugins, Optional.of(expanded))) {
            host.loadFor(List.of("swap"));
            assertEquals("1.0.1", runningVersion(host));
            replace.run();
            assertEquals(List.of("swap"), host.reload().replaced());
            assertEquals("1.0.2", runningVersion(host));
        }
    }

    @Test
    void withoutALastingFolderEachStartExpandsIntoATemporaryOneThatCloseDeletes() throws Exception {
        Files.copy(BuiltPlugins.swap("1.0.0"), plugins.resolve("swap.zip"));
        Path loadedFrom;
        try (PluginHost host = new PluginHost(plugins)) {
            host.loadFor(List.of("swap"));
            assertEquals("1.0.0", runningVersion(host));
            loadedFrom = Path.of(host.classLoader("swap").map(l -> ((java.net.URLClassLoader) l).getURLs()[0])
                    .orElseThrow().toURI());
            assertTrue(Files.exists(loadedFrom));
        }
        assertFalse(Files.exists(loadedFrom), "close left the expanded plugin behind");
    }

    /** The running swap plugin's version, from its code (a constant compiled into each version). */
    private static String runningVersion(PluginHost host) throws ReflectiveOperationException {
        Object factory = host.resolve("swap").orElseThrow().factory();
        var field = factory.getClass().getDeclaredField("VERSION");
        field.setAccessible(true);
        return (String) field.get(null);
    }

    private List<Path> folders() throws IOException {
        try (Stream<Path> s = Files.list(expanded)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static Path single(List<Path> folders) {
        assertEquals(1, folders.size(), folders.toString());
        return folders.get(0);
    }

    /**
     * Installs swap 1.0.1 as {@code swap.zip}; the returned task puts 1.0.2's bytes in its place with the
     * same size and modification time, what PF4J's own "is the folder newer" rule cannot tell apart.
     */
    private Runnable installOneOfASameSizePair() throws IOException {
        Path zip = plugins.resolve("swap.zip");
        Path[] same = sameSize(BuiltPlugins.swap("1.0.1"), BuiltPlugins.swap("1.0.2"));
        Files.copy(same[0], zip);
        FileTime time = Files.getLastModifiedTime(zip);
        return () -> {
            try {
                Files.copy(same[1], zip, StandardCopyOption.REPLACE_EXISTING);
                Files.setLastModifiedTime(zip, time);
                assertEquals(Files.size(same[0]), Files.size(zip));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /**
     * Copies of two zips padded to one size with a zip comment (the end record's last field), so only
     * their bytes tell them apart.
     */
    private Path[] sameSize(Path a, Path b) throws IOException {
        byte[] x = Files.readAllBytes(a);
        byte[] y = Files.readAllBytes(b);
        int size = Math.max(x.length, y.length);
        return new Path[] {pad(x, size, "a.zip"), pad(y, size, "b.zip")};
    }

    private Path pad(byte[] zip, int size, String name) throws IOException {
        int extra = size - zip.length;
        byte[] out = java.util.Arrays.copyOf(zip, size);
        int end = zip.length - 22; // the end record, written without a comment
        assertEquals(0x06054b50, (zip[end] & 0xff) | (zip[end + 1] & 0xff) << 8 | (zip[end + 2] & 0xff) << 16
                | (zip[end + 3] & 0xff) << 24, "end of central directory record");
        out[end + 20] = (byte) extra;
        out[end + 21] = (byte) (extra >>> 8);
        java.util.Arrays.fill(out, zip.length, size, (byte) ' ');
        Path p = Files.createTempDirectory("same-size").resolve(name);
        return Files.write(p, out);
    }
}
