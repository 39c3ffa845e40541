package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.api.StreamChunk;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.List;

/**
 * The running delivery side of the proxy: plugin host, one lane per enabled destination, redaction.
 * PLACEHOLDER until the pipeline lands: it enables nothing and drops every record.
 */
public final class DeliveryRuntime implements CallSink, AutoCloseable {

    private DeliveryRuntime() {
    }

    /**
     * Loads the plugins in {@code pluginsDir}, resolves the names the config enables and starts a lane
     * for each.
     *
     * @param config     what to enable and how
     * @param pluginsDir where the plugin zips are
     * @param registry   where lane metrics go
     * @param proxy      this proxy instance, for records and plugin contexts
     * @return the running runtime
     * @throws dev.llmhub.core.config.ConfigException when a name is unknown or a plugin rejects its settings
     */
    public static DeliveryRuntime start(DeliveryConfig config, Path pluginsDir, MeterRegistry registry, ProxyInfo proxy) {
        return new DeliveryRuntime();
    }

    /** @return the enabled destination names, for the startup banner */
    public List<String> destinationNames() {
        return List.of();
    }

    @Override
    public void preApiCall(PreApiCall event) {
    }

    @Override
    public void postApiCall(PostApiCall event) {
    }

    @Override
    public void streamChunk(StreamChunk chunk) {
    }

    @Override
    public void publish(CallRecord record) {
    }

    /** Stops accepting, drains every lane within its deadline, stops the plugins. */
    @Override
    public void close() {
    }
}
