package dev.llmhub.plugin.customcallbacks;

import dev.llmhub.api.CallbackHandler;
import dev.llmhub.api.CallbackHandlerFactory;
import dev.llmhub.api.PluginContext;
import org.pf4j.Extension;

/**
 * {@code proxy_handler_instance}, the name the seed gives its handler: with plugin id
 * {@code custom_callbacks}, the seed's config line
 * {@code callbacks: custom_callbacks.proxy_handler_instance} works as written.
 *
 * <p>Setting (optional), under {@code callback_settings.custom_callbacks.proxy_handler_instance}:
 * {@code print_stream_events} (default {@code true}) — print {@code On Stream} for every chunk.
 */
@Extension
public final class ProxyHandlerInstanceFactory implements CallbackHandlerFactory {

    /** The handler's name inside the plugin. */
    public static final String NAME = "proxy_handler_instance";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CallbackHandler create(PluginContext context) {
        // bool() throws a PluginConfigException naming the key when the value is not a boolean.
        boolean printStreamEvents = context.settings().bool("print_stream_events").orElse(true);
        return new PrintingCallbackHandler(printStreamEvents);
    }
}
