package dev.llmhub.plugin.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.PluginConfigException;
import dev.llmhub.plugin.testkit.DocumentedSettings;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchSettingsTest {

    private static ElasticsearchSettings read(Map<String, ?> settings, Map<String, String> env) {
        return ElasticsearchSettings.from(TestPluginContext.of("elasticsearch", settings, env));
    }

    private static PluginConfigException refused(Map<String, ?> settings, Map<String, String> env) {
        return assertThrows(PluginConfigException.class, () -> read(settings, env));
    }

    @Test
    void defaultsApplyWhenOnlyTheUrlIsSet() {
        ElasticsearchSettings s = read(Map.of("url", "http://localhost:9200"), Map.of());
        assertEquals(List.of(URI.create("http://localhost:9200")), s.hosts());
        assertInstanceOf(ElasticsearchSettings.Auth.None.class, s.auth());
    }

    @Test
    void defaultsMatchTheDocs() {
        Map<String, String> checked = DocumentedSettings.assertCodeFollows(
                Path.of("../../docs/destinations/elasticsearch.md"), Map.of("url", "http://localhost:9200"), s -> read(s, Map.of()));
        assertEquals(List.of("index", "request_timeout", "install_template", "message_logging"), List.copyOf(checked.keySet()));
    }

    @Test
    void severalHostsAsAListOrCommaSeparatedAndFromTheEnvironment() {
        assertEquals(List.of(URI.create("http://es1:9200"), URI.create("https://es2:443")),
                read(Map.of("url", List.of("http://es1:9200", "https://es2")), Map.of()).hosts());
        ElasticsearchSettings fromEnv = read(Map.of(), Map.of("ELASTICSEARCH_URL", "es1, http://es2:9201",
                "ELASTICSEARCH_USERNAME", "elastic", "ELASTICSEARCH_PASSWORD", "pw"));
        assertEquals(List.of(URI.create("http://es1:9200"), URI.create("http://es2:9201")), fromEnv.hosts());
        assertInstanceOf(ElasticsearchSettings.Auth.Basic.class, fromEnv.auth());
        assertEquals("/es", read(Map.of("url", "https://proxy.example.com/es/"), Map.of()).pathPrefix());
    }

    @Test
    void anApiKeyGivenAsIdColonKeyIsEncodedAsElasticsearchExpects() {
        ElasticsearchSettings s = read(Map.of("url", "http://h:9200", "api_key", "id1:secret1"), Map.of());
        assertEquals("aWQxOnNlY3JldDE=", ((ElasticsearchSettings.Auth.ApiKey) s.auth()).encoded());
        assertFalse(s.toString().contains("secret1"), s.toString());
        assertFalse(s.toString().contains("aWQxOnNlY3JldDE="), s.toString());
    }

    @Test
    void aMissingUrlNamesTheKeyAndTheVariable() {
        String m = refused(Map.of(), Map.of()).getMessage();
        assertTrue(m.contains("callback_settings.elasticsearch.url") && m.contains("ELASTICSEARCH_URL"), m);
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutShowingThem() {
        String m = refused(Map.of("url", "https://elastic:hunter2secret@es:9200"), Map.of()).getMessage();
        assertTrue(m.contains("url") && m.contains("credentials"), m);
        assertFalse(m.contains("hunter2secret"), m);
        String bare = refused(Map.of("url", "elastic:hunter2secret@es"), Map.of()).getMessage();
        assertFalse(bare.contains("hunter2secret"), bare);
    }

    @Test
    void badValuesNameTheirKey() {
        assertTrue(refused(Map.of("url", "ftp://es:9200"), Map.of()).getMessage().contains(".url"));
        assertTrue(refused(Map.of("url", "http://es:9200", "index", "Calls"), Map.of()).getMessage().contains(".index"));
        assertTrue(refused(Map.of("url", "http://es:9200", "index", "_calls"), Map.of()).getMessage().contains(".index"));
        assertTrue(refused(Map.of("url", "http://es:9200", "request_timeout", "soon"), Map.of()).getMessage()
                .contains(".request_timeout"));
        assertTrue(refused(Map.of("url", "http://es:9200", "request_timeout", 0), Map.of()).getMessage()
                .contains(".request_timeout"));
        assertTrue(refused(Map.of("url", List.of("http://a:9200/x", "http://b:9200/y")), Map.of()).getMessage()
                .contains("same path"));
    }

    @Test
    void credentialsMustBeOneKindAndComplete() {
        PluginConfigException both = refused(Map.of("url", "http://es:9200", "api_key", "k-very-secret",
                "username", "elastic", "password", "pw-very-secret"), Map.of());
        assertTrue(both.getMessage().contains(".api_key"), both.getMessage());
        assertFalse(both.getMessage().contains("very-secret"), both.getMessage());
        assertTrue(refused(Map.of("url", "http://es:9200", "username", "elastic"), Map.of()).getMessage()
                .contains(".password"));
        PluginConfigException noUser = refused(Map.of("url", "http://es:9200", "password", "pw-very-secret"), Map.of());
        assertTrue(noUser.getMessage().contains(".username"), noUser.getMessage());
        assertFalse(noUser.getMessage().contains("very-secret"), noUser.getMessage());
    }

    @Test
    void caCertMustBeAReadablePemFileForAnHttpsUrl(@TempDir Path dir) throws Exception {
        PluginConfigException missing = refused(Map.of("url", "https://es:9200", "ca_cert",
                dir.resolve("nope.pem").toString()), Map.of());
        assertTrue(missing.getMessage().contains(".ca_cert"), missing.getMessage());
        Path notPem = Files.writeString(dir.resolve("bad.pem"), "not a certificate");
        PluginConfigException bad = assertThrows(PluginConfigException.class,
                () -> TrustedCertificates.sslContext("callback_settings.elasticsearch.ca_cert", notPem));
        assertTrue(bad.getMessage().contains(".ca_cert"), bad.getMessage());
        assertTrue(refused(Map.of("url", "http://es:9200", "ca_cert", notPem.toString()), Map.of()).getMessage()
                .contains("https"));
    }
}
