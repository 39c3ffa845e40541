package dev.llmhub.core.config;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The whole parsed {@code config.yaml}, immutable plain data. A reload validates a new file completely,
 * then swaps the whole object.
 *
 * @param source                  the file it came from
 * @param deployments             {@code model_list}, in file order
 * @param general                 {@code general_settings} the server needs
 * @param router                  retries and timeouts
 * @param globalDisableNoLogParam {@code litellm_settings.global_disable_no_log_param}: ignore a
 *                                request's {@code "no-log": true}
 * @param delivery                what the delivery side enables
 */
public record HubConfig(Path source, List<DeploymentConfig> deployments, GeneralSettings general,
                        RouterSettings router, boolean globalDisableNoLogParam, DeliveryConfig delivery) {
    public HubConfig {
        Objects.requireNonNull(source, "source is null");
        deployments = List.copyOf(deployments);
        Objects.requireNonNull(general, "general is null");
        Objects.requireNonNull(router, "router is null");
        Objects.requireNonNull(delivery, "delivery is null");
    }

    /** @return the distinct {@code model_name}s, in file order */
    public Set<String> modelNames() {
        Set<String> names = new LinkedHashSet<>();
        deployments.forEach(d -> names.add(d.modelName()));
        return names;
    }
}
