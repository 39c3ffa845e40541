package dev.llmhub.e2e;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/** Plugin zips as a user handles them: find a bundled one, make a new version of it, stage new versions. */
final class PluginZips {
    private PluginZips() {
    }

    /**
     * @param dir a plugins folder
     * @param id  a plugin id, e.g. {@code file}
     * @return the one zip in {@code dir} whose {@code plugin.properties} says {@code plugin.id=<id>}
     */
    static Path find(Path dir, String id) {
        try (Stream<Path> zips = Files.list(dir)) {
            return zips.filter(p -> p.toString().endsWith(".zip"))
                    .filter(p -> id.equals(properties(p).getProperty("plugin.id")))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no zip of plugin '" + id + "' in " + dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param zip a plugin zip @return its {@code plugin.properties} */
    static Properties properties(Path zip) {
        try (FileSystem fs = FileSystems.newFileSystem(zip)) {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(fs.getPath("plugin.properties"), StandardCharsets.ISO_8859_1)));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a copy of a plugin zip whose {@code plugin.version} is {@code version}: the same code,
     * released again, the way a user receives a new version.
     *
     * @param zip     the original
     * @param version the new version
     * @param target  the new zip (must not exist)
     * @return target
     */
    static Path withVersion(Path zip, String version, Path target) {
        try {
            Files.copy(zip, target);
            try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + target.toUri()), Map.of())) {
                Path props = fs.getPath("plugin.properties");
                Properties p = new Properties();
                p.load(new StringReader(Files.readString(props, StandardCharsets.ISO_8859_1)));
                p.setProperty("plugin.version", version);
                StringWriter out = new StringWriter();
                p.store(out, null);
                Files.writeString(props, out.toString(), StandardCharsets.ISO_8859_1);
            }
            if (!version.equals(properties(target).getProperty("plugin.version"))) {
                throw new IllegalStateException("rewriting plugin.version in " + target + " did not take");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A bundled plugin and two newer releases of it, staged outside the plugins folder for a hot swap.
     *
     * @param original        the bundled zip, in the plugins folder
     * @param originalVersion its {@code plugin.version}
     * @param v011            the same plugin as version 0.1.1, staged
     * @param v012            the same plugin as version 0.1.2, staged
     */
    record Releases(Path original, String originalVersion, Path v011, Path v012) {
    }

    /**
     * @param plugins a plugins folder
     * @param id      the id of a plugin bundled in it
     * @param staging where the new versions are written (created when missing)
     * @return the bundled zip and versions 0.1.1 and 0.1.2 of it
     */
    static Releases stageReleases(Path plugins, String id, Path staging) throws IOException {
        Path original = find(plugins, id);
        Files.createDirectories(staging);
        return new Releases(original, properties(original).getProperty("plugin.version"),
                withVersion(original, "0.1.1", staging.resolve(id + "-0.1.1.zip")),
                withVersion(original, "0.1.2", staging.resolve(id + "-0.1.2.zip")));
    }

    /** Moves a zip into the plugins folder at once, as a user's {@code mv} does. @return where it is now */
    static Path moveInto(Path zip, Path plugins) throws IOException {
        return Files.move(zip, plugins.resolve(zip.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }
}
