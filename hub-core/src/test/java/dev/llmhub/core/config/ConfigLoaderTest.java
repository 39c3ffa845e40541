package dev.llmhub.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    /** A config's one model, for the tests about the rest of the config. */
    private static final String ONE_MODEL = """
            model_list:
              - model_name: m
                litellm_params: {model: openai/x, api_key: k}
            """;

    private static HubConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env).parse("cfg.yaml", Path.of("cfg.yaml"), yaml);
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml, Map.of())).getMessage();
    }

    @Test
    void theIssuesLiteLlmConfigLoadsUnchanged() {
        HubConfig c = parse("""
                model_list:
                  - model_name: gpt-3.5-turbo
                    litellm_params:
                      model: azure/gpt-turbo-small-eu
                      api_base: https://my-endpoint-europe-berri-992.openai.azure.com/
                      api_key: os.environ/AZURE_API_KEY
                      rpm: 6
                general_settings:
                  master_key: sk-1234
                """, Map.of("AZURE_API_KEY", "az-key"));
        DeploymentConfig d = c.deployments().get(0);
        assertEquals(ProviderKind.AZURE, d.provider());
        assertEquals("gpt-turbo-small-eu", d.upstreamModel());
        assertEquals("az-key", d.apiKey().orElseThrow());
        assertEquals(6, d.rpm().getAsInt());
        assertEquals("sk-1234", c.general().masterKey().orElseThrow());
        assertFalse(c.toString().contains("az-key") || d.toString().contains("az-key"));
    }

    @Test
    void environmentVariablesAreDefaultsAndTheEnvironmentWins() {
        String yaml = """
                environment_variables:
                  KEY_A: from-file
                  KEY_B: from-file
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/x, api_key: os.environ/KEY_A}
                  - model_name: b
                    litellm_params: {model: openai/y, api_key: os.environ/KEY_B}
                """;
        HubConfig c = parse(yaml, Map.of("KEY_A", "from-env"));
        assertEquals("from-env", c.deployments().get(0).apiKey().orElseThrow());
        assertEquals("from-file", c.deployments().get(1).apiKey().orElseThrow());
        assertEquals(Map.of("KEY_A", "from-file", "KEY_B", "from-file"), c.delivery().environmentDefaults());
    }

    @Test
    void deliverySettingsComeFromLiteLlmKeys() {
        HubConfig c = parse("""
                model_list:
                  - model_name: m
                    litellm_params: {model: mock/m}
                litellm_settings:
                  callbacks: custom_callbacks.proxy_handler_instance
                  success_callback: ["langfuse", "elasticsearch"]
                  failure_callback: otel
                  turn_off_message_logging: true
                  global_disable_no_log_param: true
                  callback_settings:
                    otel: {endpoint: "http://a:4317"}
                callback_settings:
                  elasticsearch:
                    url: http://es:9200
                    api_key: os.environ/ES_KEY
                    batch_size: 50
                general_settings:
                  otel: True
                  redact_headers: [X-Secret]
                """, Map.of("ES_KEY", "es-secret"));
        var d = c.delivery();
        assertEquals(List.of("custom_callbacks.proxy_handler_instance"), d.callbacks());
        assertEquals(List.of("langfuse", "elasticsearch"), d.successCallbacks());
        assertEquals(List.of("otel"), d.failureCallbacks());
        assertTrue(d.otel());
        assertTrue(d.turnOffMessageLogging());
        assertTrue(c.globalDisableNoLogParam());
        assertEquals(List.of("x-secret"), d.redactHeaders());
        assertEquals("http://a:4317", d.callbackSettings().get("otel").get("endpoint"));
        assertEquals("es-secret", d.callbackSettings().get("elasticsearch").get("api_key"));
        assertEquals(50L, d.callbackSettings().get("elasticsearch").get("batch_size"));
    }

    @Test
    void providersAndRouterSettings() {
        HubConfig c = parse("""
                model_list:
                  - model_name: bare
                    litellm_params: {model: gpt-4o-mini}
                  - model_name: local
                    litellm_params: {model: hosted_vllm/llama, api_base: "http://localhost:8001/v1", timeout: 2.5, tpm: 1000}
                  - model_name: mocked
                    litellm_params: {model: gpt-4, mock_response: hi, input_cost_per_token: 1.5e-06}
                router_settings: {num_retries: 4, timeout: 30}
                """, Map.of("OPENAI_API_KEY", "sk-env"));
        assertEquals(ProviderKind.OPENAI, c.deployments().get(0).provider());
        assertEquals("sk-env", c.deployments().get(0).apiKey().orElseThrow());
        assertEquals(ProviderKind.OPENAI, c.deployments().get(1).provider());
        assertEquals(Duration.ofMillis(2500), c.deployments().get(1).timeout().orElseThrow());
        assertEquals(1000, c.deployments().get(1).tpm().getAsLong());
        assertEquals(ProviderKind.MOCK, c.deployments().get(2).provider());
        assertEquals(1.5e-06, c.deployments().get(2).inputCostPerToken().orElseThrow());
        assertEquals(4, c.router().numRetries());
        assertEquals(Duration.ofSeconds(30), c.router().timeout());
    }

    @Test
    void yamlSyntaxErrorNamesFileAndLine() {
        String m = error("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/x
                general_settings: {}
                """);
        assertTrue(m.startsWith("cfg.yaml:"), m);
        assertTrue(m.contains("YAML syntax error"), m);
    }

    @Test
    void wrongTypeNamesLineAndKey() {
        String m = error("""
                model_list:
                  - model_name: a
                    litellm_params:
                      model: openai/x
                      rpm: lots
                """);
        assertEquals("cfg.yaml:5: model_list[0].litellm_params.rpm: expected a whole number, found 'lots'", m);
        assertTrue(error("model_list: {a: 1}\n").contains("model_list: expected a list"));
    }

    @Test
    void missingModelNameNamesTheEntry() {
        String m = error("""
                model_list:
                  - model_name: ok
                    litellm_params: {model: mock/a}
                  - litellm_params: {model: mock/b}
                """);
        assertEquals("cfg.yaml:4: model_list[1]: model_name is missing", m);
    }

    @Test
    void unknownProviderListsSupportedOnes() {
        String m = error("""
                model_list:
                  - model_name: gemini
                    litellm_params:
                      model: gemini/gemini-2.5-pro
                """);
        assertTrue(m.startsWith("cfg.yaml:4: model_list[0].litellm_params.model: unknown provider 'gemini'"), m);
        assertTrue(m.contains("openai/"), m);
    }

    @Test
    void masterKeyFromAnUnsetVariableIsAnError() {
        String m = error("""
                general_settings:
                  master_key: os.environ/NOT_SET_ANYWHERE
                """);
        assertTrue(m.startsWith("cfg.yaml:2: general_settings.master_key:"), m);
        assertFalse(m.contains("Exception"));
    }

    @Test
    void unknownKeysWarnOnce() {
        ConfigLoader loader = new ConfigLoader(Map.of());
        loader.parse("cfg.yaml", Path.of("cfg.yaml"), """
                model_list:
                  - model_name: a
                    litellm_params: {model: mock/a, shiny: 1}
                  - model_name: b
                    litellm_params: {model: mock/b}
                litellm_settings: {drop_params: true}
                router_settings: {frobnicate: 2}
                """);
        assertEquals(2, loader.warnings().size(), loader.warnings().toString());
        assertTrue(loader.warnings().stream().anyMatch(w -> w.equals("cfg.yaml:3: model_list[0].litellm_params.shiny: unknown key, ignored")),
                loader.warnings().toString());
        assertTrue(loader.warnings().stream().anyMatch(w -> w.contains("router_settings.frobnicate")));
    }

    @Test
    void missingFileIsAReadableError(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.yaml");
        assertEquals(missing + ": no such file",
                assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(missing)).getMessage());
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertTrue(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(empty)).getMessage()
                .contains("empty"));
    }
    @Test
    void liteLlmRedisKeysWithAPasswordFromTheEnvironmentWarnAboutNothing() {
        ConfigLoader loader = new ConfigLoader(Map.of("REDIS_HOST", "cache.internal", "REDIS_PORT", "6380",
                "REDIS_PASSWORD", "s3cret-pw"));
        HubConfig c = loader.parse("cfg.yaml", Path.of("cfg.yaml"), """
                model_list:
                  - model_name: m
                    litellm_params: {model: openai/x, api_key: k, rpm: 60}
                router_settings:
                  redis_host: os.environ/REDIS_HOST
                  redis_port: os.environ/REDIS_PORT
                  redis_password: os.environ/REDIS_PASSWORD
                  allowed_fails: 2
                  cooldown_time: 30
                  redis_timeout: 50ms
                """);
        RedisSettings r = c.router().redis().orElseThrow();
        assertEquals("cache.internal", r.host());
        assertEquals(6380, r.port());
        assertEquals("s3cret-pw", r.password().orElseThrow());
        assertFalse(r.tls());
        assertEquals(Duration.ofMillis(50), r.timeout());
        assertEquals("llmhub", r.namespace());
        assertEquals(2, c.router().allowedFails());
        assertEquals(Duration.ofSeconds(30), c.router().cooldownTime());
        assertEquals(List.of(), loader.warnings());
        assertFalse(r.toString().contains("s3cret-pw"), r.toString());
        assertFalse(c.router().toString().contains("s3cret-pw"), c.router().toString());
        assertEquals("redis://cache.internal:6380/0", r.display());
    }

    @Test
    void redisUrlCarriesUserPasswordDatabaseAndTls() {
        HubConfig c = parse(ONE_MODEL + """
                router_settings:
                  redis_url: rediss://app:p%40ss@redis.example.com:6390/3
                  redis_namespace: team-a
                """, Map.of());
        RedisSettings r = c.router().redis().orElseThrow();
        assertEquals("redis.example.com", r.host());
        assertEquals(6390, r.port());
        assertEquals(3, r.database());
        assertEquals("app", r.username().orElseThrow());
        assertEquals("p@ss", r.password().orElseThrow());
        assertTrue(r.tls());
        assertEquals("team-a", r.namespace());
        assertEquals("rediss://redis.example.com:6390/3", r.display());
    }

    @Test
    void withoutRedisEachReplicaCountsAloneAndDefaultsAreLiteLlms() {
        HubConfig c = parse(ONE_MODEL, Map.of());
        assertTrue(c.router().redis().isEmpty());
        assertEquals(3, c.router().allowedFails());
        assertEquals(Duration.ofSeconds(5), c.router().cooldownTime());
        assertTrue(c.router().cooldowns());
    }

    @Test
    void badRedisSettingsNameTheKeyButNeverTheSecret() {
        String url = error(ONE_MODEL + """
                router_settings:
                  redis_url: http://user:hunter2@cache:6379
                """);
        assertTrue(url.contains("cfg.yaml:5: router_settings.redis_url: expected a redis:// or rediss:// URL"), url);
        assertFalse(url.contains("hunter2"), url);
        String unset = error(ONE_MODEL + """
                router_settings:
                  redis_host: 127.0.0.1
                  redis_password: os.environ/UNSET_REDIS_PASSWORD
                """);
        assertTrue(unset.contains("redis_password: the password resolves to nothing"), unset);
        String port = error(ONE_MODEL + """
                router_settings:
                  redis_host: 127.0.0.1
                  redis_port: 70000
                """);
        assertTrue(port.contains("redis_port: expected a port between 1 and 65535"), port);
    }
}
