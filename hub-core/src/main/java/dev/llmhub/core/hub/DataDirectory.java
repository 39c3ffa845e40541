package dev.llmhub.core.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where the proxy keeps its journal. The first of: {@code --data-dir} on the command line,
 * {@code LLMHUB_DATA_DIR}, {@code general_settings.data_dir}, then {@code data/} in the distribution's
 * home (beside {@code bin/}, {@code config/} and {@code plugins/}, as Elasticsearch does) or in the
 * working directory when run without one. Created owner-only (0700): records can hold message text.
 *
 * @param path   the directory
 * @param source which of the above chose it, for the startup banner
 */
public record DataDirectory(Path path, String source) {

    /**
     * @param commandLine {@code --data-dir}
     * @param environment {@code LLMHUB_DATA_DIR}
     * @param config      {@code general_settings.data_dir}
     * @param home        the distribution's home, when run from one
     * @return the chosen directory (not created yet)
     */
    public static DataDirectory choose(Optional<Path> commandLine, Optional<String> environment, Optional<Path> config,
                                       Optional<Path> home) {
        if (commandLine.isPresent()) {
            return new DataDirectory(commandLine.get().toAbsolutePath().normalize(), "--data-dir");
        }
        Optional<String> env = environment.filter(s -> !s.isBlank());
        if (env.isPresent()) {
            return new DataDirectory(Path.of(env.get()).toAbsolutePath().normalize(), "LLMHUB_DATA_DIR");
        }
        if (config.isPresent()) {
            return new DataDirectory(config.get().toAbsolutePath().normalize(), "general_settings.data_dir");
        }
        return home.map(h -> new DataDirectory(h.resolve("data").toAbsolutePath().normalize(), "default, in the distribution"))
                .orElseGet(() -> new DataDirectory(Path.of("data").toAbsolutePath().normalize(), "default, in the working directory"));
    }

    /** Creates the directory (0700 where POSIX permissions exist). */
    public void create() {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                if (!Files.isDirectory(path)) {
                    Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
            } else {
                Files.createDirectories(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + path + ": " + e.getMessage(), e);
        }
    }
}
