package dev.llmhub.core.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.Cost;
import dev.llmhub.api.Usage;
import dev.llmhub.core.config.ConfigLoader;
import dev.llmhub.core.config.DeploymentConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageAndCostTest {
    static final TokenCounter TOKENS = new TokenCounter();

    @Test
    void countsChatTokensLikeOpenAi() {
        List<Map<String, Object>> seed = List.of(Map.of("role", "user", "content", "good morning good sir"));
        assertEquals(11, TOKENS.chatPrompt("gpt-3.5-turbo", seed));
        assertEquals(10, TOKENS.text("gpt-3.5-turbo", "Good morning! How can I assist you today?"));
        // a name costs one more token
        assertEquals(TOKENS.chatPrompt("gpt-4", seed) + 1 + TOKENS.text("gpt-4", "bob"),
                TOKENS.chatPrompt("gpt-4", List.of(Map.of("role", "user", "content", "good morning good sir", "name", "bob"))));
    }

    @Test
    void warmingUpLoadsOnlyTheTablesOfTheModelsGiven() {
        TokenCounter tokens = new TokenCounter();
        tokens.warmUp(List.of("gpt-4o-mini", "gpt-5"));
        assertEquals(List.of("o200k_base"), tokens.loaded());
        tokens.warmUp(List.of("gpt-3.5-turbo"));
        assertEquals(List.of("cl100k_base", "o200k_base"), tokens.loaded());
    }

    private static DeploymentConfig deployment(String yamlParams) {
        return new ConfigLoader(Map.of()).parse("t", Path.of("t"), "model_list:\n  - model_name: m\n    litellm_params: "
                + yamlParams + "\n").deployments().get(0);
    }

    @Test
    void seedCostIsExactlyTheSeedsFigure() {
        CostCalculator calc = new CostCalculator(PriceTable.load());
        Cost cost = calc.cost(deployment("{model: gpt-3.5-turbo, mock_response: x, input_cost_per_token: 1.5e-06, output_cost_per_token: 2.0e-06}"),
                "gpt-3.5-turbo", new Usage(11, 10, 21, 0, 0, Usage.Source.PROVIDER)).orElseThrow();
        assertEquals(3.65e-05, cost.total());
        assertEquals(Cost.Source.CONFIG, cost.source());
        assertEquals("3.65e-05", CostCalculator.format(cost.total()));
    }

    @Test
    void priceTableKnowsCommonModels() {
        PriceTable table = PriceTable.load();
        ModelPrice p = table.lookup("openai", "gpt-4o-mini").orElseThrow();
        assertEquals(0.15e-6, p.inputPerToken(), 1e-15);
        assertEquals(0.6e-6, p.outputPerToken(), 1e-15);
        assertTrue(table.lookup("azure", "gpt-35-turbo").isPresent());
        assertTrue(table.lookup("openai", "no-such-model-xyz").isEmpty());
        // Azure deployments are named freely: model_info.base_model names the priced model
        CostCalculator calc = new CostCalculator(table);
        DeploymentConfig d = new ConfigLoader(Map.of()).parse("t", Path.of("t"), """
                model_list:
                  - model_name: m
                    litellm_params: {model: azure/my-deploy, api_base: "https://x.openai.azure.com"}
                    model_info: {base_model: azure/gpt-4o-mini}
                """).deployments().get(0);
        assertEquals(Cost.Source.PRICE_TABLE, calc.cost(d, null, new Usage(1000, 0, 1000, 0, 0, Usage.Source.PROVIDER))
                .orElseThrow().source());
    }

    @Test
    void anthropicCacheReadsAndWritesArePricedFromTheTable() {
        CostCalculator calc = new CostCalculator(PriceTable.load());
        DeploymentConfig d = deployment("{model: anthropic/claude-sonnet-4-5, api_key: k}");
        // 1000 plain + 200 read from the cache + 300 written to it; claude-sonnet-4-5: 3, 0.3, 3.75, 15 USD/Mtok
        Cost cost = calc.cost(d, null, new Usage(1500, 100, 1600, 200, 0, 300, Usage.Source.PROVIDER)).orElseThrow();
        assertEquals(0.003 + 0.00006 + 0.001125, cost.input(), 1e-12);
        assertEquals(0.0015, cost.output(), 1e-12);
        assertEquals(0.005685, cost.total(), 1e-12);
        assertEquals(Cost.Source.PRICE_TABLE, cost.source());
        // OpenAI's cached tokens at its cache-read price too (gpt-4o-mini: 0.15 and 0.075 USD/Mtok)
        Cost openai = calc.cost(deployment("{model: openai/gpt-4o-mini, api_key: k}"), null,
                new Usage(1000, 0, 1000, 400, 0, Usage.Source.PROVIDER)).orElseThrow();
        assertEquals(600 * 0.15e-6 + 400 * 0.075e-6, openai.input(), 1e-12);
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({"3.65e-05, 3.65e-05", "1e-4, 0.0001", "0.5, 0.5", "2, 2.0", "1e-7, 1e-07", "0, 0.0", "1e16, 1e+16",
            "1234567890123456.0, 1234567890123456.0", "-1.2e-4, -0.00012", "12345.678, 12345.678"})
    void formatsLikePythonRepr(double value, String python) {
        assertEquals(python, CostCalculator.format(value));
    }
}
