package dev.llmhub.plugin.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An https endpoint: gRPC over TLS to a receiver whose CA is given with the {@code certificate} setting. */
class OtlpTlsTest {
    @TempDir
    static Path dir;
    private static KeyManagerFactory keys;
    private static Path caPem;

    /** A self-signed certificate for localhost, made with the JDK's own keytool. */
    @BeforeAll
    static void makeCertificate() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve("server.p12");
        caPem = dir.resolve("ca.pem");
        run(keytool.toString(), "-genkeypair", "-alias", "otlp", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit");
        run(keytool.toString(), "-exportcert", "-rfc", "-alias", "otlp", "-keystore", store.toString(),
                "-storepass", "changeit", "-file", caPem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(ks, "changeit".toCharArray());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("keytool failed: " + output);
        }
    }

    @Test
    void anHttpsEndpointIsReachedOverTlsWithTheConfiguredCertificate() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver().tls(keys).start()) {
            String endpoint = "https://localhost:" + receiver.port();
            try (Destination d = new OtelDestinationFactory().create(TestPluginContext.of("otel",
                    Map.of("endpoint", endpoint, "certificate", caPem.toString()), Map.of()))) {
                assertInstanceOf(ExportResult.Success.class, d.export(List.of(SampleRecords.seedSuccess().build())));
            }
            assertEquals(3, receiver.spans().size(), "server, chat and its one try");

            // Without the CA the server's certificate is not trusted: a failure, never plain text.
            receiver.clear();
            try (Destination d = new OtelDestinationFactory().create(TestPluginContext.of("otel",
                    Map.of("endpoint", endpoint, "timeout", "3s"), Map.of()))) {
                assertInstanceOf(ExportResult.Retryable.class, d.export(List.of(SampleRecords.seedSuccess().build())));
            }
            assertEquals(0, receiver.spans().size());
        }
    }
}
