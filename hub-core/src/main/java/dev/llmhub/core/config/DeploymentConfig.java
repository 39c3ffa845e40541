package dev.llmhub.core.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One {@code model_list} entry: a deployment clients reach through its {@code model_name} group.
 *
 * @param id                 stable id: {@code model_info.id} when set, else {@code <model_name>-<index>}
 * @param modelName          the group name clients ask for
 * @param model              {@code litellm_params.model} as written, e.g. {@code azure/gpt-turbo-small-eu}
 * @param provider           the provider that model resolves to
 * @param upstreamModel      the model (or Azure deployment) name sent upstream, prefix removed
 * @param apiBase            upstream base URL; empty means the provider's default
 * @param apiKey             upstream key ({@code os.environ/} resolved); never logged
 * @param apiVersion         Azure {@code api-version}
 * @param rpm                requests per minute this deployment may take
 * @param tpm                tokens per minute this deployment may take
 * @param timeout            per-request upstream timeout
 * @param maxRetries         per-deployment retries override ({@code max_retries})
 * @param mockResponse       fixed reply text; makes the deployment a mock
 * @param inputCostPerToken  price override for prompt tokens, USD
 * @param outputCostPerToken price override for completion tokens, USD
 * @param modelInfo          {@code model_info} as written (env resolved)
 * @param line               line of the entry in the config file, for messages
 */
public record DeploymentConfig(String id, String modelName, String model, ProviderKind provider,
                               String upstreamModel, Optional<String> apiBase, Optional<String> apiKey,
                               Optional<String> apiVersion, OptionalInt rpm, OptionalLong tpm,
                               Optional<Duration> timeout, OptionalInt maxRetries,
                               Optional<String> mockResponse, Optional<Double> inputCostPerToken,
                               Optional<Double> outputCostPerToken, Map<String, Object> modelInfo,
                               int line) {
    public DeploymentConfig {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(modelName, "modelName is null");
        Objects.requireNonNull(model, "model is null");
        Objects.requireNonNull(provider, "provider is null");
        Objects.requireNonNull(upstreamModel, "upstreamModel is null");
        Objects.requireNonNull(apiBase, "apiBase is null");
        Objects.requireNonNull(apiKey, "apiKey is null");
        Objects.requireNonNull(apiVersion, "apiVersion is null");
        Objects.requireNonNull(rpm, "rpm is null");
        Objects.requireNonNull(tpm, "tpm is null");
        Objects.requireNonNull(timeout, "timeout is null");
        Objects.requireNonNull(maxRetries, "maxRetries is null");
        Objects.requireNonNull(mockResponse, "mockResponse is null");
        Objects.requireNonNull(inputCostPerToken, "inputCostPerToken is null");
        Objects.requireNonNull(outputCostPerToken, "outputCostPerToken is null");
        modelInfo = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(modelInfo));
    }

    /**
     * @param other another deployment
     * @return whether both behave the same (only their place in the file may differ)
     */
    public boolean sameSettings(DeploymentConfig other) {
        return other != null && equals(new DeploymentConfig(other.id, other.modelName, other.model, other.provider,
                other.upstreamModel, other.apiBase, other.apiKey, other.apiVersion, other.rpm, other.tpm, other.timeout,
                other.maxRetries, other.mockResponse, other.inputCostPerToken, other.outputCostPerToken,
                other.modelInfo, line));
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "DeploymentConfig[id=" + id + ", model=" + model + "]";
    }
}
