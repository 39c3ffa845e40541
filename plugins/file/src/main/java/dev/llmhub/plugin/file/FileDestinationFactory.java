package dev.llmhub.plugin.file;

import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.PluginContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.Extension;

/**
 * The {@code file} destination: {@code success_callback: ["file"]} appends one JSON line per call
 * record to {@code logs/llmhub-calls.jsonl}. Settings, under {@code callback_settings.file}:
 * {@code path}, {@code max_size}, {@code max_files}, {@code fsync} (see {@link FileSettings}).
 *
 * <p>{@code @Extension} is what makes PF4J find this class: its annotation processor lists it in
 * {@code META-INF/extensions.idx} at compile time.
 */
@Extension
public final class FileDestinationFactory implements DestinationFactory {

    @Override
    public String name() {
        return "file";
    }

    @Override
    public Destination create(PluginContext context) {
        // Every setting is checked here, so a typo stops the proxy at start with the key's name,
        // instead of failing on the first export.
        FileSettings settings = FileSettings.from(context);
        Path dir = settings.path().toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            // Not fatal: the disk may be mounted later. Each export tries again and reports a
            // retryable failure meanwhile, which the core counts and logs.
            context.logger().log(System.Logger.Level.WARNING, "cannot create " + dir + " yet: " + e);
        }
        context.logger().log(System.Logger.Level.INFO, "writing call records to " + settings.path().toAbsolutePath());
        return new FileDestination(settings, context);
    }
}
