package dev.llmhub.api;

import org.pf4j.ExtensionPoint;

/**
 * Creates a {@link CallbackHandler}. Annotate an implementation with {@code @org.pf4j.Extension}.
 * The config names it as {@code <plugin-id>.<name>}, e.g.
 * {@code callbacks: custom_callbacks.proxy_handler_instance}.
 */
public interface CallbackHandlerFactory extends ExtensionPoint {

    /** @return the handler's name inside its plugin, e.g. {@code proxy_handler_instance} */
    String name();

    /**
     * @param context the settings, environment, logger and metrics of this handler
     * @return a ready handler
     * @throws Exception when it cannot be created ({@link PluginConfigException} for bad settings)
     */
    CallbackHandler create(PluginContext context) throws Exception;
}
