package testplugin.faulty;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallbackHandler;
import dev.llmhub.api.CallbackHandlerFactory;
import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.ExportResult;
import dev.llmhub.api.PluginContext;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.pf4j.Extension;

/** Test plugin: destinations and handlers that behave well or badly, reporting to a sink from the test. */
public final class Faulty {
    private Faulty() {
    }

    @SuppressWarnings("unchecked")
    static Consumer<String> sink(PluginContext c) {
        Object o = c.settings().asMap().get("sink");
        return o instanceof Consumer<?> s ? (Consumer<String>) s : x -> { };
    }

    static ExportResult collect(PluginContext c, List<CallRecord> batch) {
        Consumer<String> sink = sink(c);
        for (CallRecord r : batch) {
            sink.accept(c.toJson(r));
        }
        c.metrics().counter("batches_seen", "batches this test plugin saw").increment();
        return ExportResult.success();
    }

    @Extension
    public static final class Collect implements DestinationFactory {
        public String name() { return "collect"; }
        public Destination create(PluginContext c) { return batch -> collect(c, batch); }
    }

    @Extension
    public static final class Throwing implements DestinationFactory {
        public String name() { return "throwing"; }
        public Destination create(PluginContext c) {
            return batch -> { throw new IllegalStateException("export exploded on purpose"); };
        }
    }

    @Extension
    public static final class Hanging implements DestinationFactory {
        public String name() { return "hanging"; }
        public Destination create(PluginContext c) {
            CountDownLatch release = (CountDownLatch) c.settings().asMap().get("release");
            return batch -> {
                // A truly stuck plugin: ignores interrupts until the test lets it go.
                while (true) {
                    try {
                        if (release.await(1, TimeUnit.DAYS)) {
                            return ExportResult.success();
                        }
                    } catch (InterruptedException ignored) {
                        // keep hanging
                    }
                }
            };
        }
    }

    @Extension
    public static final class Slow implements DestinationFactory {
        public String name() { return "slow"; }
        public Destination create(PluginContext c) {
            long delay = c.settings().number("delay_ms").orElse(100L);
            return batch -> {
                try {
                    TimeUnit.MILLISECONDS.sleep(delay); // the behaviour under test: a slow destination
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return collect(c, batch);
            };
        }
    }

    @Extension
    public static final class Linkage implements DestinationFactory {
        public String name() { return "linkage"; }
        public Destination create(PluginContext c) {
            return batch -> { throw new NoClassDefFoundError("testplugin/faulty/GoneAtRuntime"); };
        }
    }

    @Extension
    public static final class FailClose implements DestinationFactory {
        public String name() { return "failclose"; }
        public Destination create(PluginContext c) {
            return new Destination() {
                public ExportResult export(List<CallRecord> batch) { return collect(c, batch); }
                public void close() { throw new IllegalStateException("close exploded on purpose"); }
            };
        }
    }

    @Extension
    public static final class Handler implements CallbackHandlerFactory {
        public String name() { return "handler"; }
        public CallbackHandler create(PluginContext c) {
            Consumer<String> sink = sink(c);
            return new CallbackHandler() {
                public void onPreApiCall(PreApiCall e) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("messages", e.messages());
                    m.put("params", e.requestParams());
                    sink.accept("pre:" + c.toJson(m));
                }
                public void onPostApiCall(PostApiCall e) { sink.accept("post:" + e.callId()); }
                public void onStreamEvent(StreamChunk ch) { sink.accept("chunk:" + ch.delta()); }
                public void onSuccess(CallRecord r) { sink.accept("success:" + c.toJson(r)); }
                public void onFailure(CallRecord r) { sink.accept("failure:" + c.toJson(r)); }
            };
        }
    }

    @Extension
    public static final class ThrowingHandler implements CallbackHandlerFactory {
        public String name() { return "throwing_handler"; }
        public CallbackHandler create(PluginContext c) {
            return new CallbackHandler() {
                public void onSuccess(CallRecord r) { throw new IllegalStateException("hook exploded on purpose"); }
                public void onFailure(CallRecord r) { throw new IllegalStateException("hook exploded on purpose"); }
            };
        }
    }

    @Extension
    public static final class Picky implements DestinationFactory {
        public String name() { return "picky"; }
        public Destination create(PluginContext c) {
            c.settings().string("endpoint").orElseThrow(() ->
                    new dev.llmhub.api.PluginConfigException("callback_settings." + c.name() + ".endpoint: required"));
            return batch -> ExportResult.success();
        }
    }
}
