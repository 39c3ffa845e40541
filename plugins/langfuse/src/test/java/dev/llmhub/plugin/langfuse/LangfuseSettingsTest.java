package dev.llmhub.plugin.langfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.PluginConfigException;
import dev.llmhub.plugin.testkit.DocumentedSettings;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LangfuseSettingsTest {
    private static final Map<String, String> KEYS = Map.of("LANGFUSE_PUBLIC_KEY", "pk-lf-1", "LANGFUSE_SECRET_KEY", "sk-lf-2");

    private static LangfuseSettings read(Map<String, ?> settings, Map<String, String> env) {
        return LangfuseSettings.from(TestPluginContext.of("langfuse", settings, env));
    }

    @Test
    void seedSetupNeedsOnlyTheEnvironmentVariables() {
        LangfuseSettings s = read(Map.of(), KEYS);
        assertEquals("pk-lf-1", s.publicKey());
        assertEquals("sk-lf-2", s.secretKey());
        assertEquals(Optional.empty(), s.release());
    }

    @Test
    void defaultsMatchTheDocs() {
        Map<String, String> checked = DocumentedSettings.assertCodeFollows(Path.of("../../docs/destinations/langfuse.md"), Map.of(),
                s -> read(s, KEYS));
        assertEquals(List.of("host", "api", "timeout", "message_logging", "compression", "max_request_bytes"),
                List.copyOf(checked.keySet()));
    }

    @Test
    void settingsWinOverTheEnvironment() {
        LangfuseSettings s = read(Map.of("public_key", "pk-a", "secret_key", "sk-b", "host", "http://localhost:3000/",
                        "release", "r1", "environment", "prod", "api", "ingestion", "timeout", "2s", "message_logging", "false"),
                Map.of("LANGFUSE_PUBLIC_KEY", "pk-env", "LANGFUSE_HOST", "https://us.cloud.langfuse.com",
                        "LANGFUSE_RELEASE", "r-env", "LANGFUSE_TRACING_ENVIRONMENT", "dev"));
        assertEquals("pk-a", s.publicKey());
        assertEquals(URI.create("http://localhost:3000"), s.host());
        assertEquals(Optional.of("r1"), s.release());
        assertEquals(Optional.of("prod"), s.environment());
        assertEquals(LangfuseSettings.Api.INGESTION, s.api());
        assertEquals(Duration.ofSeconds(2), s.timeout());
        assertFalse(s.messageLogging());
    }

    @Test
    void environmentFallbacksForHostReleaseAndEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(KEYS);
        env.put("LANGFUSE_HOST", "https://langfuse.example.com/base/");
        env.put("LANGFUSE_RELEASE", "2026.11");
        env.put("LANGFUSE_TRACING_ENVIRONMENT", "staging");
        LangfuseSettings s = read(Map.of(), env);
        assertEquals(URI.create("https://langfuse.example.com/base"), s.host());
        assertEquals(Optional.of("2026.11"), s.release());
        assertEquals(Optional.of("staging"), s.environment());
    }

    @Test
    void missingKeysNameTheSettingAndTheVariable() {
        PluginConfigException e = assertThrows(PluginConfigException.class,
                () -> read(Map.of(), Map.of("LANGFUSE_SECRET_KEY", "sk-lf-hidden")));
        assertTrue(e.getMessage().contains("callback_settings.langfuse.public_key"), e.getMessage());
        assertTrue(e.getMessage().contains("LANGFUSE_PUBLIC_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-lf-hidden"));

        e = assertThrows(PluginConfigException.class, () -> read(Map.of("public_key", "pk-x"), Map.of()));
        assertTrue(e.getMessage().contains("secret_key") && e.getMessage().contains("LANGFUSE_SECRET_KEY"), e.getMessage());
    }

    @Test
    void malformedHostIsRefusedWithoutEchoingIt() {
        for (String host : new String[] {"sk-lf-pasted-by-mistake", "ftp://langfuse.example.com",
                "https://pk:sk-lf-inline@langfuse.example.com", "http://", "https://x.example.com/?key=sk-lf-q"}) {
            PluginConfigException e = assertThrows(PluginConfigException.class,
                    () -> read(Map.of("host", host), KEYS), host);
            assertTrue(e.getMessage().contains("callback_settings.langfuse.host"), e.getMessage());
            assertFalse(e.getMessage().contains("sk-lf"), e.getMessage());
        }
    }

    @Test
    void unknownApiAndBadTimeoutAreRefused() {
        PluginConfigException api = assertThrows(PluginConfigException.class, () -> read(Map.of("api", "grpc"), KEYS));
        assertTrue(api.getMessage().contains("api") && api.getMessage().contains("otel")
                && api.getMessage().contains("ingestion"), api.getMessage());
        PluginConfigException timeout = assertThrows(PluginConfigException.class, () -> read(Map.of("timeout", "soon"), KEYS));
        assertTrue(timeout.getMessage().contains("timeout"), timeout.getMessage());
        assertThrows(PluginConfigException.class, () -> read(Map.of("timeout", 0), KEYS));
    }

    @Test
    void environmentLangfuseWouldRenameIsWarnedAboutWithTheNameItWillShow() {
        TestPluginContext bad = TestPluginContext.of("langfuse", Map.of("environment", "Production EU"), KEYS);
        new LangfuseDestinationFactory().create(bad).close();
        assertTrue(bad.logger().lines().stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("'default'")),
                bad.logger().lines().toString());
        TestPluginContext renamed = TestPluginContext.of("langfuse", Map.of("environment", "Production"), KEYS);
        new LangfuseDestinationFactory().create(renamed).close();
        assertTrue(renamed.logger().lines().stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("'production'")),
                renamed.logger().lines().toString());
        TestPluginContext good = TestPluginContext.of("langfuse", Map.of("environment", "production-eu"), KEYS);
        new LangfuseDestinationFactory().create(good).close();
        assertEquals(java.util.List.of(), good.logger().lines());
    }

    @Test
    void environmentIsNamedTheWayLangfuseStoresIt() {
        assertEquals("production", LangfuseSettings.langfuseEnvironment("Production"));
        assertEquals("prod", LangfuseSettings.langfuseEnvironment("langfuse-prod"));
        assertEquals("prod", LangfuseSettings.langfuseEnvironment("LANGFUSE_langfuseprod"));
        assertEquals("default", LangfuseSettings.langfuseEnvironment("langfuse"));
        assertEquals("default", LangfuseSettings.langfuseEnvironment("prod eu"));
        assertEquals("x".repeat(40), LangfuseSettings.langfuseEnvironment("x".repeat(41) + " "), "cut before the check");
        assertEquals(Optional.of("staging"), read(Map.of("environment", "Staging"), KEYS).langfuseEnvironment());
    }

    @Test
    void compressionAndRequestSizeHaveDefaultsAndAreChecked() {
        LangfuseSettings s = read(Map.of(), KEYS);
        assertTrue(s.gzip());
        assertEquals(LangfuseSettings.DEFAULT_MAX_REQUEST_BYTES, s.maxRequestBytes());
        LangfuseSettings set = read(Map.of("compression", "none", "max_request_bytes", 1_000_000), KEYS);
        assertFalse(set.gzip());
        assertEquals(1_000_000, set.maxRequestBytes());
        PluginConfigException c = assertThrows(PluginConfigException.class, () -> read(Map.of("compression", "brotli"), KEYS));
        assertTrue(c.getMessage().contains("compression") && c.getMessage().contains("gzip"), c.getMessage());
        PluginConfigException m = assertThrows(PluginConfigException.class, () -> read(Map.of("max_request_bytes", 5), KEYS));
        assertTrue(m.getMessage().contains("max_request_bytes"), m.getMessage());
        assertThrows(PluginConfigException.class, () -> read(Map.of("max_request_bytes", "lots"), KEYS));
    }

    @Test
    void toStringNeverShowsTheKeys() {
        String text = read(Map.of(), KEYS).toString();
        assertFalse(text.contains("pk-lf-1") || text.contains("sk-lf-2"), text);
    }
}
