package dev.llmhub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.core.config.ConfigLoader;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.config.ProviderKind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configs we ship load cleanly: no error, no unknown-key warning, a mock model that needs no key. */
class ShippedConfigsTest {

    @Test
    void quickstartAndDistributionConfigsLoadWithoutWarnings() {
        for (String file : new String[] {"../examples/quickstart.yaml", "../distribution/src/main/dist/config/config.yaml"}) {
            ConfigLoader loader = new ConfigLoader(Map.of());
            HubConfig config = loader.load(Path.of(file));
            assertEquals(java.util.List.of(), loader.warnings(), file);
            assertEquals(ProviderKind.MOCK, config.deployments().get(0).provider(), file);
            assertEquals("gpt-3.5-turbo", config.deployments().get(0).modelName(), file);
            assertTrue(config.general().masterKey().isEmpty(), file + " must run without a key");
        }
    }
}
