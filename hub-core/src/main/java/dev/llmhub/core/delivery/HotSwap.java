package dev.llmhub.core.delivery;

import dev.llmhub.core.plugin.ExtensionRef;
import dev.llmhub.core.plugin.PluginHost;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps lanes bound while plugins come and go: before a plugin unloads, the lanes it serves stop
 * calling it, wait for the calls in progress and close their instance (their records wait in the
 * journal); when a plugin arrives, lanes waiting for one of its names get a new instance.
 */
final class HotSwap implements PluginHost.Listener {
    private static final System.Logger LOG = System.getLogger(HotSwap.class.getName());

    private final Delivery delivery;
    private final Map<String, String> errors = new LinkedHashMap<>();

    HotSwap(Delivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public void beforeUnload(String pluginId) {
        synchronized (delivery.lock()) {
            for (Lane lane : delivery.lanesNow().values()) {
                if (lane.boundPlugin().filter(pluginId::equals).isPresent()) {
                    lane.unbind();
                    LOG.log(Level.INFO, "lane ''{0}'': plugin {1} leaving; records wait in the journal until a "
                            + "plugin offering ''{0}'' is loaded", lane.name, pluginId);
                }
            }
        }
    }

    @Override
    public void afterLoad(String pluginId) {
        synchronized (delivery.lock()) {
            for (Lane lane : delivery.lanesNow().values()) {
                if (lane.boundPlugin().isPresent()) {
                    continue;
                }
                Optional<ExtensionRef> ref = delivery.host().resolve(lane.name).filter(r -> r.pluginId().equals(pluginId));
                if (ref.isEmpty()) {
                    continue;
                }
                try {
                    Binding b = delivery.instances().create(delivery.specOf(lane.name), ref.get());
                    if (!lane.bind(b)) {
                        ProviderSlot.close(lane.name, b, lane.settings.exportTimeout());
                        continue;
                    }
                    synchronized (errors) {
                        errors.remove(lane.name);
                    }
                    LOG.log(Level.INFO, "lane ''{0}'': now served by {1} {2}", lane.name, ref.get().pluginId(),
                            ref.get().pluginVersion());
                } catch (InstanceFactory.CreateException e) {
                    synchronized (errors) {
                        errors.put(lane.name, e.getMessage());
                    }
                    LOG.log(Level.WARNING, "lane ''{0}'' still waiting for a plugin: {1}", lane.name, e.getMessage());
                }
            }
        }
    }

    void forget(Collection<String> lanes) {
        synchronized (errors) {
            errors.keySet().removeAll(lanes);
        }
    }

    Map<String, String> errors() {
        synchronized (errors) {
            return Map.copyOf(errors);
        }
    }
}
