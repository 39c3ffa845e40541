package dev.llmhub.api;

import java.util.Locale;
import java.util.Objects;

/**
 * What a call cost.
 *
 * @param input    cost of the prompt tokens
 * @param output   cost of the completion tokens
 * @param total    input + output
 * @param currency ISO currency code, always {@code USD} today
 * @param source   where the prices came from
 */
public record Cost(double input, double output, double total, String currency, Source source) {

    /** Where the per-token prices come from. */
    public enum Source {
        /** The price table shipped with the proxy. */
        PRICE_TABLE,
        /** {@code input_cost_per_token}/{@code output_cost_per_token} in the deployment's config. */
        CONFIG;

        /** The lower-case constant name: computed once, since records are written with it. */
        private final String wireName = name().toLowerCase(Locale.ROOT);

        /** The name used in the call record's JSON form. */
        public String wireName() {
            return wireName;
        }
    }

    public Cost {
        Objects.requireNonNull(currency, "currency is null");
        Objects.requireNonNull(source, "source is null");
    }
}
