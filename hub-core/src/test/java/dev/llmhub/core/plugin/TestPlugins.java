package dev.llmhub.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugin zips at test time, like the ones the plugin parent's assembly makes:
 * Java sources under {@code src/test/resources/test-plugins/<name>/src} (read from the test class
 * path, so hub-core's test-jar carries them to other modules' tests) are compiled against the test
 * class path with PF4J's annotation processor (so {@code META-INF/extensions.idx} is generated the
 * way a real build does), then zipped with {@code plugin.properties} at the root and the classes
 * under {@code classes/}. Sources may contain {@code @VERSION@}, replaced by the plugin version, so
 * two versions of one plugin differ in behaviour.
 */
public final class TestPlugins {
    private TestPlugins() {
    }

    /**
     * @param source  folder name under {@code test-plugins}
     * @param id      plugin id
     * @param version plugin version
     * @param outDir  where to write {@code <id>-<version>.zip}
     * @param extra   more zip entries (path to bytes), e.g. a bundled copy of the plugin API
     * @return the zip
     */
    public static Path build(String source, String id, String version, Path outDir, Map<String, byte[]> extra)
            throws IOException {
        Path work = Files.createTempDirectory("test-plugin-" + id);
        try {
            Path src = work.resolve("src");
            Path classes = work.resolve("classes");
            Files.createDirectories(classes);
            List<String> files = new ArrayList<>();
            // From the test class path, so other modules can build these plugins from hub-core's test-jar.
            java.net.URL url = TestPlugins.class.getClassLoader().getResource("test-plugins/" + source + "/src");
            if (url == null) {
                throw new IllegalArgumentException("no test plugin sources at test-plugins/" + source + "/src");
            }
            java.net.URI uri = java.net.URI.create(url.toString());
            try (java.nio.file.FileSystem jar = "jar".equals(uri.getScheme())
                    ? java.nio.file.FileSystems.newFileSystem(uri, Map.of()) : null;
                 Stream<Path> s = Files.walk(jar == null ? Path.of(uri) : jar.provider().getPath(uri))) {
                Path root = jar == null ? Path.of(uri) : jar.provider().getPath(uri);
                for (Path p : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Path target = src.resolve(root.relativize(p).toString());
                    Files.createDirectories(target.getParent());
                    Files.writeString(target, Files.readString(p).replace("@VERSION@", version));
                    files.add(target.toString());
                }
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "21",
                    "-classpath", System.getProperty("java.class.path"),
                    "-processorpath", System.getProperty("java.class.path"),
                    "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor", "-Xlint:none", "-nowarn"));
            args.addAll(files);
            StringWriter errors = new StringWriter();
            int rc = javac.run(null, null, new OutputStream() {
                @Override
                public void write(int b) {
                    errors.write(b);
                }
            }, args.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException("test plugin " + source + " does not compile:\n" + errors);
            }
            Files.createDirectories(outDir);
            Path zip = outDir.resolve(id + "-" + version + ".zip");
            Path tmp = outDir.resolve(".tmp-" + id + "-" + version + ".part");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
                String props = "plugin.id=" + id + "\nplugin.version=" + version + "\nplugin.provider=llmhub tests\n"
                        + "plugin.description=test plugin\nplugin.requires=*\n";
                put(out, "plugin.properties", props.getBytes(StandardCharsets.UTF_8));
                try (Stream<Path> s = Files.walk(classes)) {
                    for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                        put(out, "classes/" + classes.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                    }
                }
                for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                    put(out, e.getKey(), e.getValue());
                }
            }
            // Appear in the plugins directory atomically, as a deploy script would do it.
            Files.move(tmp, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return zip;
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** @return the bytes of a plugin API class, to build a plugin that wrongly bundles the API */
    public static byte[] apiClassBytes(String resource) throws IOException {
        try (InputStream in = TestPlugins.class.getClassLoader().getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    private static void put(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
