package dev.llmhub.core.delivery;

import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.logging.ThrottledLog;
import dev.llmhub.core.plugin.PluginInvoker;
import dev.llmhub.core.record.EncodedRecords;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Hands a batch to {@link Destination#export}. A thrown exception, a {@link LinkageError}, a
 * {@code null} result or a call that outlived {@code export_timeout} is retryable: the next try may
 * work (a new plugin version, a destination back up).
 */
final class DestinationSender implements Sender {
    private final String lane;
    private final ThrottledLog brokenLog;

    DestinationSender(String lane, ThrottledLog brokenLog) {
        this.lane = lane;
        this.brokenLog = brokenLog;
    }

    @Override
    public ExportResult send(Binding b, Batch batch, Duration timeout, Runnable onStuck) {
        Destination destination = (Destination) b.instance();
        PluginInvoker.Outcome<ExportResult> outcome = b.invoker().call("export", timeout,
                () -> EncodedRecords.lend(batch.journaledJson(), () -> destination.export(batch.records())), onStuck);
        return switch (outcome) {
            case PluginInvoker.Outcome.Ok<ExportResult> ok -> ok.value() == null
                    ? ExportResult.retryable("export returned null") : ok.value();
            case PluginInvoker.Outcome.Failed<ExportResult> f -> {
                if (f.error() instanceof LinkageError) {
                    brokenLog.log(Level.ERROR, held -> "lane '" + lane + "': plugin " + b.pluginId() + " "
                            + b.pluginVersion() + " is broken (" + f.message() + "); check that it does not bundle "
                            + "plugin-api, pf4j or slf4j-api and that its lib/ is complete" + ThrottledLog.heldBack(held));
                }
                yield ExportResult.retryable(f.message());
            }
        };
    }

    @Override
    public boolean retries() {
        return true;
    }
}
