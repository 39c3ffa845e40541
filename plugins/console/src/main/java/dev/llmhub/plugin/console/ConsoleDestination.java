package dev.llmhub.plugin.console;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import java.util.List;

/**
 * Translation ({@link SummaryLine}) and transport (one write to standard output per batch, so the
 * lines of a batch stay together and a line is never split by another thread's output).
 */
final class ConsoleDestination implements Destination {

    @Override
    public ExportResult export(List<CallRecord> batch) {
        StringBuilder text = new StringBuilder();
        for (CallRecord r : batch) {
            text.append(SummaryLine.of(r)).append(System.lineSeparator());
        }
        // System.out is read at each export, not kept: the host (or a test) may redirect it.
        System.out.print(text);
        System.out.flush();
        return ExportResult.success();
    }
}
