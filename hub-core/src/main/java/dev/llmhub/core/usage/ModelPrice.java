package dev.llmhub.core.usage;

import java.util.OptionalDouble;

/**
 * Prices of one model, USD per token.
 *
 * @param inputPerToken      price of a prompt token
 * @param outputPerToken     price of a completion token
 * @param cacheReadPerToken  price of a prompt token read from the provider's cache, when it differs
 * @param cacheWritePerToken price of a prompt token written to the provider's cache, when it differs
 * @param source             where the prices come from
 */
public record ModelPrice(double inputPerToken, double outputPerToken, OptionalDouble cacheReadPerToken,
                         OptionalDouble cacheWritePerToken, dev.llmhub.api.Cost.Source source) {

    /** Prices without cache prices: every prompt token costs the same. */
    public ModelPrice(double inputPerToken, double outputPerToken, dev.llmhub.api.Cost.Source source) {
        this(inputPerToken, outputPerToken, OptionalDouble.empty(), OptionalDouble.empty(), source);
    }
}
