package dev.llmhub.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The plugins directory as files: which zips are there (and whether they changed), what each
 * {@code plugin.properties} says, and expanded copies to load from.
 *
 * <p>A zip is expanded into a folder named after the SHA-256 of its bytes ({@code <zip name>-<hash>}),
 * and a folder is only ever used for the bytes it is named after: PF4J's own "expand next to the zip
 * unless the folder is newer" rule is what makes a replaced zip silently load the old code again
 * (STACK.md, PF4J trap 4). A folder appears complete or not at all (expanded into a temporary folder,
 * then renamed), so a crash or a second process never leaves a half folder that looks usable.
 *
 * <p>With a lasting folder ({@code --data-dir}'s {@code expanded-plugins/}) the next start loads from
 * the folders already there instead of expanding every zip again (the OTLP plugin is 4.3 MB: 120-200
 * ms of a start). Hashing a zip costs about as much as expanding it while the JIT is cold, so a
 * {@code <zip name>.stamp} file keeps the hash with the zip's size, modification time, change time
 * and inode; the hash is computed again whenever any of these differ. The change time and inode cannot
 * be carried over by {@code cp -p}, {@code rsync -t} or an image build that fixes modification times:
 * replacing or rewriting the zip changes them. Where the file system does not tell them, every load
 * hashes. Folders and stamps of zips no longer there are deleted after each reload ({@link #retain}).
 * Without a lasting folder each load expands into a fresh folder of a temporary one, deleted when the
 * host closes (nothing is reused, so nothing is hashed).
 */
final class PluginDirectory implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PluginDirectory.class.getName());
    private static final String STAMP = ".stamp";
    private static final String EXPANDING = ".expanding-";
    /** A half-expanded folder this old is a crashed start's, not another process's work in progress. */
    private static final Duration ABANDONED = Duration.ofHours(1);

    /**
     * What tells a changed zip from the one seen before: with the change time and inode where the file
     * system tells them, so a zip replaced by one of the same size and modification time is seen too.
     */
    record Fingerprint(long size, FileTime modified, Optional<Stamp> stamp) {
    }

    /** What {@code plugin.properties} declares. */
    record Descriptor(String id, String version) {
    }

    /**
     * What identifies a zip's file without reading it; trusted in place of its hash only when the file
     * system tells all of it (the change time and inode change whenever the file is replaced or written).
     */
    record Stamp(long size, long modifiedNanos, long changedNanos, String fileKey) {
        static Optional<Stamp> of(Path zip) throws IOException {
            try {
                Map<String, Object> a = Files.readAttributes(zip, "unix:size,lastModifiedTime,ctime,ino,dev");
                if (a.get("ctime") instanceof FileTime c && a.get("ino") != null && a.get("dev") != null) {
                    return Optional.of(new Stamp((Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")),
                            nanos(c), a.get("dev") + ":" + a.get("ino")));
                }
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // no "unix" view here (Windows): every load hashes
            }
            return Optional.empty();
        }

        private static long nanos(FileTime t) {
            Instant i = t.toInstant();
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        }
    }

    private final Path dir;
    private final Path expandedDir;
    private final boolean lasting;

    /**
     * @param dir         where the plugin zips are (need not exist yet)
     * @param expandedDir where expanded folders stay between starts; empty: a temporary folder deleted
     *                    by {@link #close}
     */
    PluginDirectory(Path dir, Optional<Path> expandedDir) {
        this.dir = dir.toAbsolutePath().normalize();
        Path chosen = null;
        if (expandedDir.isPresent()) {
            try {
                chosen = ownerOnly(expandedDir.get().toAbsolutePath().normalize());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot use {0} for expanded plugins ({1}): every start expands them again",
                        expandedDir.get(), e.getMessage());
            }
        }
        this.lasting = chosen != null;
        try {
            this.expandedDir = lasting ? chosen : Files.createTempDirectory("llmhub-plugins-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for expanded plugins", e);
        }
    }

    private static Path ownerOnly(Path p) throws IOException {
        Files.createDirectories(p);
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        }
        return p;
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
                        out.put(p, new Fingerprint(Files.size(p), Files.getLastModifiedTime(p), Stamp.of(p)));
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
     * The folder holding exactly this zip's bytes, expanded: the one already there or a new one.
     *
     * @return the folder
     * @throws PluginLoadException when the zip cannot be expanded or changed meanwhile (nothing is left behind)
     */
    Path expand(Path zip) {
        Path tmp = null;
        try {
            if (!lasting) {
                tmp = Files.createTempDirectory(expandedDir, fileId(zip) + "-");
                unzip(zip, tmp);
                return tmp;
            }
            Optional<Stamp> before = Stamp.of(zip);
            Optional<String> known = knownHash(zip, before);
            String hash = known.isPresent() ? known.get() : sha256(zip);
            Path target = expandedDir.resolve(fileId(zip) + "-" + hash);
            if (Files.isDirectory(target) && !complete(zip, target)) {
                LOG.log(Level.INFO, "{0} lacks files of {1} (deleted by a clean-up of old files?): expanding it again",
                        target, zip.getFileName());
                delete(target);
            }
            if (!Files.isDirectory(target)) {
                tmp = Files.createTempDirectory(expandedDir, EXPANDING);
                unzip(zip, tmp);
                // Hashed one file, expanded another? Then the folder would not hold the bytes it is named after.
                Optional<Stamp> after = Stamp.of(zip);
                if (before.isEmpty() ? !hash.equals(sha256(zip)) : !before.equals(after)) {
                    throw new IOException("the zip changed while it was expanded");
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    if (!Files.isDirectory(target)) {
                        throw e;
                    }
                    delete(tmp); // another process expanded the same bytes first
                }
                tmp = null;
            }
            if (known.isEmpty()) {
                writeStamp(zip, before, hash);
            }
            return target;
        } catch (IOException e) {
            delete(tmp);
            throw new PluginLoadException("cannot expand: " + e.getMessage());
        }
    }

    private Optional<String> knownHash(Path zip, Optional<Stamp> now) {
        if (now.isEmpty()) {
            return Optional.empty();
        }
        Path file = stampFile(zip);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String[] f = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
            Stamp s = now.get();
            if (f.length == 5 && f[1].equals(Long.toString(s.size())) && f[2].equals(Long.toString(s.modifiedNanos()))
                    && f[3].equals(Long.toString(s.changedNanos())) && f[4].equals(s.fileKey())) {
                return Optional.of(f[0]);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "ignoring {0}: {1}", file, e.getMessage());
        }
        return Optional.empty();
    }

    private void writeStamp(Path zip, Optional<Stamp> stamp, String hash) throws IOException {
        if (stamp.isEmpty()) {
            return;
        }
        Stamp s = stamp.get();
        Path file = stampFile(zip);
        Path tmp = Files.createTempFile(expandedDir, EXPANDING, STAMP);
        try {
            Files.writeString(tmp, hash + " " + s.size() + " " + s.modifiedNanos() + " " + s.changedNanos() + " "
                    + s.fileKey() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Path stampFile(Path zip) {
        return expandedDir.resolve(zip.getFileName().toString() + STAMP);
    }

    private static String sha256(Path zip) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(zip)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * @return whether every file of the zip is in the folder with its size: a folder kept between starts
     *         may have lost files to a clean-up of old files (a data directory under /tmp)
     */
    private static boolean complete(Path zip, Path folder) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                Path p = folder.resolve(e.getName()).normalize();
                if (!e.isDirectory() && (!Files.isRegularFile(p) || Files.size(p) != e.getSize())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void unzip(Path zip, Path target) throws IOException {
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
    }

    /**
     * Deletes the folders and stamps no zip of the directory needs any more: a folder stays while a
     * started plugin runs from it or a present zip's stamp names it. Runs after each reload.
     *
     * @param inUse the folders started plugins run from
     */
    void retain(Collection<Path> inUse) {
        Set<String> keep = new HashSet<>();
        inUse.forEach(p -> keep.add(p.getFileName().toString()));
        Set<Path> zips = scan().keySet();
        Set<String> stamps = new HashSet<>();
        for (Path zip : zips) {
            Path file = stampFile(zip);
            stamps.add(file.getFileName().toString());
            try {
                if (Files.isRegularFile(file)) {
                    keep.add(fileId(zip) + "-" + Files.readString(file, StandardCharsets.UTF_8).strip().split(" ")[0]);
                }
            } catch (IOException e) {
                // unreadable: its folder goes, the next load hashes again
            }
        }
        Instant abandoned = Instant.now().minus(ABANDONED);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(expandedDir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                boolean stale = name.startsWith(EXPANDING)
                        ? Files.getLastModifiedTime(p).toInstant().isBefore(abandoned)
                        : name.endsWith(STAMP) ? !stamps.contains(name) : !keep.contains(name);
                if (stale) {
                    delete(p);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot clean {0}: {1}", expandedDir, e.getMessage());
        }
    }

    /** @param expanded a folder made by {@link #expand} that did not load: deleted, the next load expands again */
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

    /** @return a zip's file name without {@code .zip} */
    static String fileId(Path zip) {
        return zip.getFileName().toString().replaceFirst("\\.zip$", "");
    }

    /** Deletes the folders when they were temporary; lasting ones stay for the next start. */
    @Override
    public void close() {
        if (!lasting) {
            delete(expandedDir);
        }
    }
}
