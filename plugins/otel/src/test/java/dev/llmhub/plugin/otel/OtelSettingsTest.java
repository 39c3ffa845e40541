package dev.llmhub.plugin.otel;

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
import org.junit.jupiter.api.Test;

/** Settings resolution: callback_settings.otel over the environment over defaults, and clear errors. */
class OtelSettingsTest {

    private static OtelSettings settings(Map<String, ?> settings, Map<String, String> env) {
        return OtelSettings.from(TestPluginContext.of("otel", settings, env));
    }

    private static PluginConfigException error(Map<String, ?> settings, Map<String, String> env) {
        return assertThrows(PluginConfigException.class, () -> settings(settings, env));
    }

    @Test
    void defaultsMatchTheDocs() {
        Map<String, String> checked = DocumentedSettings.assertCodeFollows(Path.of("../../docs/destinations/otel.md"), Map.of(),
                s -> settings(s, Map.of()));
        assertEquals(List.of("endpoint", "protocol", "service_name", "timeout", "compression", "capture_message_content",
                "export_metrics", "estimated_token_metrics"), List.copyOf(checked.keySet()));
        assertEquals(Map.of(), settings(Map.of(), Map.of()).headers(), "headers: none");
    }

    @Test
    void otelEndpointWorksWithOrWithoutScheme() {
        assertEquals(URI.create("http://collector:4317"), settings(Map.of(), Map.of("OTEL_ENDPOINT", "collector:4317")).endpoint());
        assertEquals(URI.create("http://collector:4317"), settings(Map.of(), Map.of("OTEL_ENDPOINT", "collector")).endpoint());
        assertEquals(URI.create("https://otel.example.com"), settings(Map.of(), Map.of("OTEL_ENDPOINT", "https://otel.example.com/")).endpoint());
        assertEquals(URI.create("http://c:4318"), settings(Map.of("protocol", "http/protobuf"), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "c")).endpoint());
        assertEquals(URI.create("http://from-standard:4317"),
                settings(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://from-standard:4317")).endpoint());
    }

    @Test
    void settingsWinOverTheEnvironmentUnderEveryAcceptedName() {
        Map<String, String> env = Map.of("OTEL_ENDPOINT", "::not a url::", "OTEL_EXPORTER_OTLP_PROTOCOL", "bogus",
                "OTEL_SERVICE_NAME", "env-name", "OTEL_EXPORTER_OTLP_HEADERS", "a=b");
        OtelSettings s = settings(Map.of("endpoint", "https://otel.example.com:443", "protocol", "http/protobuf",
                "service_name", "cfg-name", "headers", "x-token=abc%3D%3D,team=ml"), env);
        assertEquals(URI.create("https://otel.example.com:443"), s.endpoint());
        assertEquals(Protocol.HTTP_PROTOBUF, s.protocol());
        assertEquals("cfg-name", s.serviceName());
        assertEquals(Map.of("x-token", "abc==", "team", "ml"), s.headers());

        assertEquals(URI.create("http://upper:4317"), settings(Map.of("OTEL_ENDPOINT", "upper:4317"), Map.of()).endpoint());
        assertEquals(URI.create("http://lower:4317"), settings(Map.of("otel_endpoint", "lower:4317"), Map.of()).endpoint());
        assertEquals("svc", settings(Map.of("otel_service_name", "svc"), Map.of()).serviceName());
        assertEquals(Map.of("k", "v"), settings(Map.of("headers", Map.of("k", "v")), Map.of()).headers());
        assertEquals(Map.of("a", "1", "b", "x y"), settings(Map.of("resource_attributes", "a=1, b=x%20y"), Map.of()).resourceAttributes());
        assertEquals(Duration.ofMillis(1500), settings(Map.of(), Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "1500")).timeout());
        assertEquals(Duration.ofSeconds(3), settings(Map.of("timeout", "3s"), Map.of()).timeout());
        assertEquals(ContentCapture.NO_CONTENT, settings(Map.of("capture_message_content", false), Map.of()).contentCapture());
        assertEquals(ContentCapture.NO_CONTENT, settings(Map.of("message_logging", false), Map.of()).contentCapture());
        assertEquals(ContentCapture.NO_CONTENT, settings(Map.of("message_logging", false, "capture_message_content", "span_and_event"),
                Map.of()).contentCapture(), "message logging off wins");
        assertEquals(ContentCapture.EVENT_ONLY, settings(Map.of("capture_message_content", "event_only"), Map.of()).contentCapture());
        assertEquals(ContentCapture.SPAN_AND_EVENT, settings(Map.of(),
                Map.of("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "SPAN_AND_EVENT")).contentCapture());
        assertEquals(ContentCapture.SPAN_ONLY, settings(Map.of("capture_message_content", true),
                Map.of("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "NO_CONTENT")).contentCapture());
    }

    @Test
    void malformedValuesNameTheKeyAndNeverShowASecret() {
        String secret = "s3cr3t-distinctive";
        PluginConfigException headers = error(Map.of("headers", "authorization " + secret), Map.of());
        assertTrue(headers.getMessage().startsWith("callback_settings.otel.headers:"), headers.getMessage());
        assertFalse(headers.getMessage().contains(secret));

        PluginConfigException envHeaders = error(Map.of(), Map.of("OTEL_EXPORTER_OTLP_HEADERS", "x=%zz" + secret));
        assertTrue(envHeaders.getMessage().startsWith("environment variable OTEL_EXPORTER_OTLP_HEADERS:"), envHeaders.getMessage());
        assertFalse(envHeaders.getMessage().contains(secret));

        PluginConfigException userInfo = error(Map.of("endpoint", "https://user:" + secret + "@otel.example.com"), Map.of());
        assertTrue(userInfo.getMessage().startsWith("callback_settings.otel.endpoint:"), userInfo.getMessage());
        assertFalse(userInfo.getMessage().contains(secret));

        PluginConfigException badName = error(Map.of("headers", Map.of("bad name", secret)), Map.of());
        assertTrue(badName.getMessage().contains("'bad name' is not a valid header name"), badName.getMessage());
        assertFalse(badName.getMessage().contains(secret));
    }

    @Test
    void everyOtherMalformedSettingIsAClearError() throws Exception {
        List<Map.Entry<Map<String, ?>, String>> cases = List.of(
                Map.entry(Map.of("protocol", "http/json"), "callback_settings.otel.protocol: expected grpc or http/protobuf"),
                Map.entry(Map.of("endpoint", "ftp://x:1"), "callback_settings.otel.endpoint: expected host:port or http(s)://host:port (scheme"),
                Map.entry(Map.of("endpoint", "http://"), "callback_settings.otel.endpoint: expected host:port"),
                Map.entry(Map.of("timeout", "soon"), "callback_settings.otel.timeout: expected a duration"),
                Map.entry(Map.of("timeout", "0s"), "callback_settings.otel.timeout: expected a duration above zero"),
                Map.entry(Map.of("compression", "zstd"), "callback_settings.otel.compression: expected gzip or none"),
                Map.entry(Map.of("capture_message_content", "maybe"),
                        "callback_settings.otel.capture_message_content: expected true, false, no_content, span_only, event_only or span_and_event, got 'maybe'"),
                Map.entry(Map.of("certificate", "/no/such/ca.pem"), "callback_settings.otel.certificate: cannot read"),
                Map.entry(Map.of("resource_attributes", List.of("a=b")), "callback_settings.otel.resource_attributes: expected"));
        for (Map.Entry<Map<String, ?>, String> c : cases) {
            PluginConfigException e = error(c.getKey(), Map.of());
            assertTrue(e.getMessage().startsWith(c.getValue()), c.getKey() + " -> " + e.getMessage());
        }
        java.nio.file.Path notPem = java.nio.file.Files.createTempFile("not-a-ca", ".pem");
        try {
            java.nio.file.Files.writeString(notPem, "hello");
            PluginConfigException pem = error(Map.of("certificate", notPem.toString()), Map.of());
            assertTrue(pem.getMessage().startsWith("callback_settings.otel.certificate: '" + notPem + "' is not a PEM X.509 certificate"),
                    pem.getMessage());
        } finally {
            java.nio.file.Files.delete(notPem);
        }
        PluginConfigException env = error(Map.of(), Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "ten"));
        assertTrue(env.getMessage().startsWith("environment variable OTEL_EXPORTER_OTLP_TIMEOUT: expected a whole number"), env.getMessage());
    }

    @Test
    void toStringShowsHeaderNamesOnly() {
        OtelSettings s = settings(Map.of("headers", "authorization=Bearer%20zzz-distinctive"), Map.of());
        assertFalse(s.toString().contains("zzz-distinctive"));
        assertTrue(s.toString().contains("authorization"));
    }
}
