package testplugin.swap;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.ExportResult;
import dev.llmhub.api.PluginContext;
import java.util.function.Consumer;
import org.pf4j.Extension;

/** Test plugin whose versions differ: each record is reported as "version|id". */
@Extension
public final class SwapDestination implements DestinationFactory {
    static final String VERSION = "@VERSION@";

    public String name() {
        return "swap";
    }

    @SuppressWarnings("unchecked")
    public Destination create(PluginContext c) {
        Consumer<String> sink = (Consumer<String>) c.settings().asMap().get("sink");
        return batch -> {
            for (CallRecord r : batch) {
                sink.accept(VERSION + "|" + r.id());
            }
            return ExportResult.success();
        };
    }
}
