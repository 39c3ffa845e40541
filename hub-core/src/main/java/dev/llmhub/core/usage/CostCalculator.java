package dev.llmhub.core.usage;

import dev.llmhub.api.Cost;
import dev.llmhub.api.Usage;
import dev.llmhub.core.config.DeploymentConfig;
import dev.llmhub.plugin.kit.PythonFloat;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Prices a call: the deployment's {@code input_cost_per_token}/{@code output_cost_per_token} when set
 * (for every prompt token, cached or not), else the shipped {@link PriceTable} (with its cache-read and
 * cache-write prices for cached and cache-writing prompt tokens). Arithmetic is decimal so that 11 × 1.5e-06 + 10 × 2.0e-06 is
 * exactly 3.65e-05, as LiteLLM reports it, not 3.6500000000000004e-05.
 */
public final class CostCalculator {
    private final PriceTable table;

    public CostCalculator(PriceTable table) {
        this.table = table;
    }

    /**
     * @param deployment    the deployment that answered
     * @param responseModel the model the provider reported, tried after the configured one
     * @param usage         the call's usage
     * @return its cost, when prices are known
     */
    public Optional<Cost> cost(DeploymentConfig deployment, String responseModel, Usage usage) {
        Optional<ModelPrice> price = priceOf(deployment, responseModel);
        return price.map(p -> {
            // cache reads and writes at their own prices when the table has them (Anthropic: 0.1x and 1.25x)
            long cached = Math.min(usage.cachedTokens(), usage.promptTokens());
            long written = Math.min(usage.cacheCreationTokens(), usage.promptTokens() - cached);
            long plain = usage.promptTokens() - cached - written;
            BigDecimal in = BigDecimal.valueOf(p.inputPerToken()).multiply(BigDecimal.valueOf(plain))
                    .add(BigDecimal.valueOf(p.cacheReadPerToken().orElse(p.inputPerToken())).multiply(BigDecimal.valueOf(cached)))
                    .add(BigDecimal.valueOf(p.cacheWritePerToken().orElse(p.inputPerToken())).multiply(BigDecimal.valueOf(written)));
            BigDecimal out = BigDecimal.valueOf(p.outputPerToken()).multiply(BigDecimal.valueOf(usage.completionTokens()));
            return new Cost(in.doubleValue(), out.doubleValue(), in.add(out).doubleValue(), "USD", p.source());
        });
    }

    private Optional<ModelPrice> priceOf(DeploymentConfig d, String responseModel) {
        if (d.inputCostPerToken().isPresent() || d.outputCostPerToken().isPresent()) {
            Optional<ModelPrice> base = tableLookup(d, responseModel);
            double in = d.inputCostPerToken().orElse(base.map(ModelPrice::inputPerToken).orElse(0d));
            double out = d.outputCostPerToken().orElse(base.map(ModelPrice::outputPerToken).orElse(0d));
            return Optional.of(new ModelPrice(in, out, Cost.Source.CONFIG));
        }
        return tableLookup(d, responseModel);
    }

    private Optional<ModelPrice> tableLookup(DeploymentConfig d, String responseModel) {
        // an Azure deployment name is arbitrary; its model_info.base_model names the real model
        Object base = d.modelInfo().get("base_model");
        String provider = d.provider().wireName();
        Optional<ModelPrice> p = base != null ? table.lookup(provider, stripPrefix(String.valueOf(base))) : Optional.empty();
        if (p.isEmpty()) {
            p = table.lookup(provider, d.upstreamModel());
        }
        if (p.isEmpty() && responseModel != null) {
            p = table.lookup(provider, responseModel);
        }
        return p;
    }

    private static String stripPrefix(String model) {
        int slash = model.indexOf('/');
        return slash >= 0 ? model.substring(slash + 1) : model;
    }

    /**
     * Formats a cost like Python's {@code repr(float)} (shortest round-trip digits, exponent below
     * 1e-4), so the {@code x-llmhub-response-cost} header reads {@code 3.65e-05} as LiteLLM's does.
     */
    public static String format(double value) {
        return PythonFloat.repr(value);
    }
}
