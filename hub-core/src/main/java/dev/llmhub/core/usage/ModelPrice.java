package dev.llmhub.core.usage;

/**
 * Prices of one model, USD per token.
 *
 * @param inputPerToken  price of a prompt token
 * @param outputPerToken price of a completion token
 * @param source         where the prices come from
 */
public record ModelPrice(double inputPerToken, double outputPerToken, dev.llmhub.api.Cost.Source source) {
}
