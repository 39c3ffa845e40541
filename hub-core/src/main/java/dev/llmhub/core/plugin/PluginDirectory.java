package dev.llmhub.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The plugins directory as files: which zips are there (and whether they changed), what each
 * {@code plugin.properties} says, and private expanded copies to load from.
 *
 * <p>Each load expands a zip into a fresh folder of a private work directory, named after the zip
 * (which carries the version) plus a generation number, deleted when the plugin unloads. PF4J's own
 * "expand next to the zip unless the folder is newer" rule is what makes a replaced zip silently load
 * the old code again (STACK.md, PF4J trap 4); here an expanded folder is never reused.
 */
final class PluginDirectory implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PluginDirectory.class.getName());

    /** What tells a changed zip from the one seen before. */
    record Fingerprint(long size, FileTime modified) {
    }

    /** What {@code plugin.properties} declares. */
    record Descriptor(String id, String version) {
    }

    private final Path dir;
    private final Path workDir;
    private final AtomicInteger generation = new AtomicInteger();

    /** @param dir where the plugin zips are (need not exist yet) */
    PluginDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            this.workDir = Files.createTempDirectory("llmhub-plugins-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for expanded plugins", e);
        }
    }

    Path path() {
        return dir;
    }

    /** @return every {@code *.zip} now in the directory, by path */
    Map<Path, Fingerprint> scan() {
        Map<Path, Fingerprint> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.zip")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    try {
                        out.put(p, new Fingerprint(Files.size(p), Files.getLastModifiedTime(p)));
                    } catch (IOException e) {
                        // vanished while we looked: the next scan will tell
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list plugins directory {0}: {1}", dir, e.getMessage());
        }
        return out;
    }

    /**
     * @param zip a plugin zip
     * @return its id and version
     * @throws PluginLoadException when it is not a plugin zip or cannot be read
     */
    static Descriptor descriptor(Path zip) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry e = z.getEntry("plugin.properties");
            if (e == null) {
                throw new PluginLoadException("not a plugin zip: no plugin.properties at its root");
            }
            Properties p = new Properties();
            try (InputStream in = z.getInputStream(e)) {
                p.load(in);
            }
            String id = p.getProperty("plugin.id", "").trim();
            String version = p.getProperty("plugin.version", "").trim();
            if (id.isEmpty() || version.isEmpty()) {
                throw new PluginLoadException("plugin.properties must set plugin.id and plugin.version");
            }
            return new Descriptor(id, version);
        } catch (IOException e) {
            throw new PluginLoadException("cannot read the zip (" + e.getMessage() + "); is it still being copied?");
        }
    }

    /**
     * Expands a zip into a fresh folder of the work directory.
     *
     * @return the folder
     * @throws PluginLoadException when the zip cannot be expanded (nothing is left behind)
     */
    Path expand(Path zip) {
        String base = zip.getFileName().toString().replaceFirst("\\.zip$", "");
        Path target = workDir.resolve(base + ".g" + generation.incrementAndGet());
        try {
            Files.createDirectories(target);
            try (ZipFile z = new ZipFile(zip.toFile())) {
                Enumeration<? extends ZipEntry> entries = z.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    Path to = target.resolve(e.getName()).normalize();
                    if (!to.startsWith(target)) {
                        throw new IOException("entry '" + e.getName() + "' points outside the plugin folder");
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        try (InputStream in = z.getInputStream(e)) {
                            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            return target;
        } catch (IOException e) {
            delete(target);
            throw new PluginLoadException("cannot expand: " + e.getMessage());
        }
    }

    /** @param expanded a folder made by {@link #expand}, deleted with everything in it */
    void delete(Path expanded) {
        if (expanded == null || !Files.exists(expanded)) {
            return;
        }
        try (Stream<Path> s = Files.walk(expanded)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot delete {0}: {1}", expanded, e.getMessage());
        }
    }

    /** Deletes the work directory. */
    @Override
    public void close() {
        delete(workDir);
    }
}
