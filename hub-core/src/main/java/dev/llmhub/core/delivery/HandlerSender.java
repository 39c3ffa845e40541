package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallbackHandler;
import dev.llmhub.api.ExportResult;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.core.plugin.PluginInvoker;
import java.time.Duration;

/**
 * Calls a callback handler's hooks: {@code onSuccess}/{@code onFailure} for records from the journal,
 * {@code onPreApiCall}/{@code onPostApiCall}/{@code onStreamEvent} for events. Hooks are observations,
 * not deliveries: a hook that throws or hangs is counted failed and not retried.
 */
final class HandlerSender implements Sender {
    private final RedactionPolicy redaction;

    /** @param redaction the lane's policy, for events (records come redacted from the batcher) */
    HandlerSender(RedactionPolicy redaction) {
        this.redaction = redaction;
    }

    @Override
    public ExportResult send(Binding b, Batch batch, Duration timeout, Runnable onStuck) {
        CallbackHandler h = (CallbackHandler) b.instance();
        for (CallRecord r : batch.records()) {
            boolean ok = r.status() == CallStatus.SUCCESS;
            PluginInvoker.Outcome<Object> o = b.invoker().call(ok ? "onSuccess" : "onFailure", timeout, () -> {
                if (ok) {
                    h.onSuccess(r);
                } else {
                    h.onFailure(r);
                }
                return null;
            }, onStuck);
            if (o instanceof PluginInvoker.Outcome.Failed<Object> f) {
                return ExportResult.permanent(f.message());
            }
        }
        return ExportResult.success();
    }

    /**
     * @param b     the handler instance
     * @param event a pre-call, post-call or stream event, unredacted
     * @return null when the hook ran, else what went wrong
     */
    String sendEvent(Binding b, Object event, Duration timeout, Runnable onStuck) {
        CallbackHandler h = (CallbackHandler) b.instance();
        PluginInvoker.Outcome<Object> o = switch (event) {
            case PreApiCall e -> {
                PreApiCall safe = redaction.apply(e);
                yield hook(b, "onPreApiCall", timeout, onStuck, () -> h.onPreApiCall(safe));
            }
            case PostApiCall e -> {
                PostApiCall safe = redaction.apply(e);
                yield hook(b, "onPostApiCall", timeout, onStuck, () -> h.onPostApiCall(safe));
            }
            case StreamChunk c -> {
                StreamChunk safe = redaction.apply(c);
                yield hook(b, "onStreamEvent", timeout, onStuck, () -> h.onStreamEvent(safe));
            }
            default -> throw new IllegalArgumentException("not an event: " + event.getClass().getName());
        };
        return o instanceof PluginInvoker.Outcome.Failed<Object> f ? f.message() : null;
    }

    /** Runs one of the handler's hooks (they return nothing) under the plugin's invoker. */
    private static PluginInvoker.Outcome<Object> hook(Binding b, String name, Duration timeout, Runnable onStuck,
                                                      Runnable hook) {
        return b.invoker().call(name, timeout, () -> {
            hook.run();
            return null;
        }, onStuck);
    }

    @Override
    public boolean retries() {
        return false;
    }
}
