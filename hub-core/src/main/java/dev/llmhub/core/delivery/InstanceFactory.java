package dev.llmhub.core.delivery;

import dev.llmhub.api.CallbackHandlerFactory;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.PluginConfigException;
import dev.llmhub.core.plugin.ExtensionRef;
import dev.llmhub.core.plugin.HubPluginContext;
import dev.llmhub.core.plugin.PluginInvoker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Creates the plugin instance for a lane: builds its {@code PluginContext}, calls the factory through
 * the invoker (a fresh thread, 30 s limit) and wraps the result in a {@link Binding}.
 */
final class InstanceFactory {
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

    private final MeterRegistry registry;
    private final String proxyVersion;

    InstanceFactory(MeterRegistry registry, String proxyVersion) {
        this.registry = registry;
        this.proxyVersion = proxyVersion;
    }

    /**
     * @return the bound instance
     * @throws CreateException saying why not, in one line with no secret
     */
    Binding create(LaneSpec spec, ExtensionRef ref) {
        String name = spec.name();
        boolean handler = spec.kind() == LaneKind.HANDLER;
        if (handler != (ref.kind() == ExtensionRef.Kind.HANDLER)) {
            throw new CreateException("callback '" + name + "' is a " + (handler ? "callback handler" : "destination")
                    + " lane but " + ref.pluginId() + " " + ref.pluginVersion() + " now offers it as a "
                    + (handler ? "destination" : "callback handler") + "; reload the config to rebuild the lane");
        }
        HubPluginContext ctx = new HubPluginContext(name, ref.pluginId(), spec.pluginSettings(), spec.environment(),
                registry, proxyVersion);
        PluginInvoker invoker = new PluginInvoker(name, ref.loader());
        PluginInvoker.Outcome<AutoCloseable> o = invoker.callOnOwnThread("create", CREATE_TIMEOUT, () -> handler
                ? ((CallbackHandlerFactory) ref.factory()).create(ctx)
                : ((DestinationFactory) ref.factory()).create(ctx));
        if (o instanceof PluginInvoker.Outcome.Ok<AutoCloseable> ok && ok.value() != null) {
            return new Binding(ref.pluginId(), ref.pluginVersion(), ok.value(), invoker, ctx::release);
        }
        ctx.release();
        throw new CreateException(switch (o) {
            case PluginInvoker.Outcome.Ok<AutoCloseable> ok -> "plugin " + ref.pluginId() + " returned no instance for '"
                    + name + "'";
            case PluginInvoker.Outcome.Failed<AutoCloseable> f -> f.error() instanceof PluginConfigException pce
                    ? pce.getMessage()
                    : "plugin " + ref.pluginId() + " " + ref.pluginVersion() + " could not create '" + name + "': "
                    + f.message();
        });
    }

    /** A lane's plugin instance could not be created. */
    static final class CreateException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CreateException(String message) {
            super(message, null, false, false);
        }
    }
}
