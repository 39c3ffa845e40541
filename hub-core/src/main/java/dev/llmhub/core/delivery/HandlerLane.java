package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallbackHandler;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.core.plugin.PluginInvoker;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;

/**
 * A callback handler's lane: one worker calls the handler's hooks one at a time, in the order the
 * events happened, each under {@code export_timeout}. A hook that throws or hangs is counted as
 * failed for this handler and not retried (hooks are observations, not deliveries); the next event
 * goes on.
 */
public final class HandlerLane extends Lane {

    /**
     * @param name         handler name, e.g. {@code custom_callbacks.proxy_handler_instance}
     * @param settings     lane settings
     * @param subscription which records and events it receives
     * @param redaction    the proxy-wide policy (the lane adds {@code message_logging: false})
     * @param registry     where its meters go
     */
    public HandlerLane(String name, LaneSettings settings, Subscription subscription, RedactionPolicy redaction,
                       MeterRegistry registry) {
        super(name, settings, subscription, redaction, registry);
    }

    @Override
    String kind() {
        return "handler";
    }

    @Override
    void runWorker() {
        while (true) {
            Object item;
            try {
                item = draining ? queue.poll() : queue.take();
            } catch (InterruptedException e) {
                continue; // shutdown began: drain what is queued
            }
            if (item == null) {
                return;
            }
            batchStarted();
            try {
                handle(item);
            } catch (RuntimeException e) {
                // A bug on our side (e.g. in redaction) must not stop the lane: count it and go on.
                LOG.log(Level.ERROR, "handler ''" + name + "'': cannot deliver an event", e);
                settleFailed(1);
            } finally {
                batchEnded();
            }
        }
    }

    private void handle(Object item) {
        Binding b = acquire();
        if (b == null) {
            settleDropped(1, "no plugin served the lane before the shutdown deadline");
            return;
        }
        CallbackHandler h = (CallbackHandler) b.instance();
        PluginInvoker.Outcome<Object> o;
        long t0 = System.nanoTime();
        try {
            String hook;
            Runnable call;
            switch (item) {
                case CallRecord r when r.status() == CallStatus.SUCCESS -> {
                    CallRecord safe = redaction.apply(r);
                    hook = "onSuccess";
                    call = () -> h.onSuccess(safe);
                }
                case CallRecord r -> {
                    CallRecord safe = redaction.apply(r);
                    hook = "onFailure";
                    call = () -> h.onFailure(safe);
                }
                case PreApiCall e -> {
                    PreApiCall safe = redaction.apply(e);
                    hook = "onPreApiCall";
                    call = () -> h.onPreApiCall(safe);
                }
                case PostApiCall e -> {
                    PostApiCall safe = redaction.apply(e);
                    hook = "onPostApiCall";
                    call = () -> h.onPostApiCall(safe);
                }
                case StreamChunk c -> {
                    StreamChunk safe = redaction.apply(c);
                    hook = "onStreamEvent";
                    call = () -> h.onStreamEvent(safe);
                }
                default -> throw new IllegalArgumentException("not an event: " + item.getClass().getName());
            }
            o = b.invoker().call(hook, settings.exportTimeout(), () -> {
                call.run();
                return null;
            });
        } finally {
            release();
        }
        metrics.exportTime(System.nanoTime() - t0);
        if (o instanceof PluginInvoker.Outcome.Failed<Object> f) {
            metrics.warnLimited(Level.WARNING, f.message());
            settleFailed(1);
        } else {
            settleExported(1);
        }
    }
}
