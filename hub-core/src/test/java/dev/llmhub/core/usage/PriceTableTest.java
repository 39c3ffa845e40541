package dev.llmhub.core.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** genai-prices' match rules, read from a small table in its shape. */
class PriceTableTest {

    private static PriceTable table(String models) throws IOException {
        String json = """
                {"providers": [
                  {"id": "openai", "models": [%s]},
                  {"id": "other", "models": [{"match": {"equals": "only-elsewhere"}, "prices": {"input": 7, "output": 8}}]}
                ]}""".formatted(models);
        return PriceTable.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static double input(PriceTable t, String model) {
        return t.lookup("openai", model).orElseThrow(() -> new AssertionError("no price for " + model)).inputPerToken();
    }

    @Test
    void eachRuleMatchesCaseInsensitively() throws IOException {
        PriceTable t = table("""
                {"match": {"equals": "Exact"}, "prices": {"input": 1, "output": 1}},
                {"match": {"starts_with": "pre-"}, "prices": {"input": 2, "output": 1}},
                {"match": {"ends_with": "-suf"}, "prices": {"input": 3, "output": 1}},
                {"match": {"contains": "mid"}, "prices": {"input": 4, "output": 1}},
                {"match": {"regex": "^re[0-9]+$"}, "prices": {"input": 5, "output": 1}}""");
        assertEquals(1e-6, input(t, "EXACT"), 1e-12);
        assertEquals(2e-6, input(t, "Pre-x"), 1e-12);
        assertEquals(3e-6, input(t, "x-SUF"), 1e-12);
        assertEquals(4e-6, input(t, "aMIDb"), 1e-12);
        assertEquals(5e-6, input(t, "RE42"), 1e-12);
        assertTrue(t.lookup("openai", "exactly").isEmpty());
    }

    @Test
    void orAndAndCombineRules() throws IOException {
        PriceTable t = table("""
                {"match": {"and": [{"starts_with": "a"}, {"ends_with": "z"}]}, "prices": {"input": 1, "output": 1}},
                {"match": {"or": [{"equals": "b"}, {"equals": "c"}]}, "prices": {"input": 2, "output": 1}}""");
        assertEquals(1e-6, input(t, "a-z"), 1e-12);
        assertTrue(t.lookup("openai", "a-y").isEmpty());
        assertEquals(2e-6, input(t, "c"), 1e-12);
    }

    @Test
    void aClauseOfTwoRulesMatchesNothing() throws IOException {
        // The schema allows one rule per clause; two could mean "and" or "or", and a guess prices calls wrongly.
        PriceTable t = table("""
                {"match": {"starts_with": "x", "ends_with": "y"}, "prices": {"input": 1, "output": 1}}""");
        assertTrue(t.lookup("openai", "x-y").isEmpty());
        assertTrue(t.lookup("openai", "xa").isEmpty());
        assertTrue(t.lookup("openai", "ay").isEmpty());
    }

    @Test
    void aModelUnknownToItsProviderIsLookedUpElsewhere() throws IOException {
        PriceTable t = table("");
        assertEquals(7e-6, input(t, "only-elsewhere"), 1e-12);
        assertTrue(t.lookup("openai", "").isEmpty());
    }
}
