package dev.llmhub.core.delivery;

import dev.llmhub.api.ExportResult;
import java.time.Duration;

/**
 * The tail of a lane: one call into plugin code for a batch, through the binding's invoker, turned
 * into an {@link ExportResult}. Never throws.
 */
sealed interface Sender permits DestinationSender, HandlerSender {

    /**
     * @param b       the plugin instance
     * @param batch   what to hand it
     * @param timeout the call's limit
     * @param onStuck run when the call outlived its limit and did not return when interrupted
     * @return what happened
     */
    ExportResult send(Binding b, Batch batch, Duration timeout, Runnable onStuck);

    /** @return whether a retryable failure is tried again (destinations) or counted failed (handler hooks) */
    boolean retries();
}
