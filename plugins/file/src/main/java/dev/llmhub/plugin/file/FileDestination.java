package dev.llmhub.plugin.file;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PluginMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Translation and transport, nothing else: each record becomes one line of its documented JSON form,
 * the batch is appended once, and the outcome is reported. The core owns the queue, batching,
 * retries with backoff, timeouts and shutdown drain, so there is no thread, buffer or retry loop here.
 *
 * <p>Delivery is at least once: a batch that failed halfway is retried whole, so a line may repeat.
 * Readers deduplicate by the record's {@code id}, as every destination does.
 */
final class FileDestination implements Destination {
    private final FileSettings settings;
    private final RotatingFile file;
    private final PluginContext context;

    FileDestination(FileSettings settings, PluginContext context) {
        this.settings = settings;
        this.context = context;
        PluginMetrics.Counter rotations = context.metrics().counter("file_rotations",
                "files rotated because they reached max_size");
        this.file = new RotatingFile(settings.path(), settings.maxSize(), settings.maxFiles(), settings.fsync(),
                rotations::increment);
    }

    @Override
    public ExportResult export(List<CallRecord> batch) {
        // Translation: the proxy's own serializer gives the documented form (docs/call-record.md).
        List<byte[]> lines = new ArrayList<>(batch.size());
        for (CallRecord r : batch) {
            lines.add(context.toJsonUtf8(r)); // the file adds the newline
        }
        // Transport: one append. A disk error is usually temporary (full disk, unmounted volume),
        // so it is retryable; the core decides when to try again and counts it.
        try {
            file.append(lines);
            return ExportResult.success();
        } catch (IOException e) {
            return ExportResult.retryable("cannot write " + settings.path() + ": " + e);
        }
    }

    // Nothing to close: the file is opened per batch, so no handle outlives an export (and an
    // external logrotate or a deleted file is simply picked up by the next batch).
}
