package dev.llmhub.core.usage;

import dev.llmhub.api.Cost;
import dev.llmhub.api.Usage;
import dev.llmhub.core.config.DeploymentConfig;
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
     * The digits are {@link Double#toString}'s (the shortest that round-trip, since JDK 19), re-laid out
     * by hand: going through {@code BigDecimal} was a tenth of the bytes a proxied request allocated.
     */
    public static String format(double value) {
        if (value == 0) {
            return "0.0";
        }
        String text = Double.toString(Math.abs(value)); // "123.45", "0.0012", "3.65E-5" or "1.0E16"
        int e = text.indexOf('E');
        String mantissa = e < 0 ? text : text.substring(0, e);
        int dot = mantissa.indexOf('.');
        StringBuilder digits = new StringBuilder(mantissa.length()).append(mantissa, 0, dot).append(mantissa, dot + 1, mantissa.length());
        int point = dot + (e < 0 ? 0 : Integer.parseInt(text, e + 1, text.length(), 10)); // digits before the point
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
            lead++;
        }
        digits.delete(0, lead);
        point -= lead;
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits.setLength(end);
        int exponent = point - 1;
        StringBuilder out = new StringBuilder(24);
        if (value < 0) {
            out.append('-');
        }
        if (exponent < -4 || exponent >= 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int abs = Math.abs(exponent);
            return out.append('e').append(exponent < 0 ? '-' : '+').append(abs < 10 ? "0" : "").append(abs).toString();
        }
        if (point <= 0) {
            return out.append("0.").repeat('0', -point).append(digits).toString();
        }
        if (point >= digits.length()) {
            return out.append(digits).repeat('0', point - digits.length()).append(".0").toString();
        }
        return out.append(digits, 0, point).append('.').append(digits, point, digits.length()).toString();
    }
}
