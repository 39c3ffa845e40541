package dev.llmhub.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment whose upstream speaks HTTPS: the proxy's client verifies the upstream's certificate
 * against the JDK's trust store (here one trusting the test's own certificate, named by
 * {@code javax.net.ssl.trustStore}) and the call goes through. Plain-HTTP upstreams make no TLS
 * context at all (HttpProvider), so this is the path that still does.
 */
class HttpsUpstreamIT {
    private static final String PASSWORD = "changeit";

    @Test
    void aChatCallReachesAnHttpsUpstream(@TempDir Path work) throws Exception {
        Path serverStore = work.resolve("upstream.p12");
        Path trustStore = work.resolve("trust.p12");
        keytool(work, "-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", serverStore.toString());
        keytool(work, "-exportcert", "-alias", "upstream", "-rfc", "-file", "upstream.pem", "-keystore", serverStore.toString());
        keytool(work, "-importcert", "-alias", "upstream", "-file", "upstream.pem", "-keystore", trustStore.toString());
        try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream(serverContext(serverStore))) {
            assertTrue(upstream.apiBase().startsWith("https://"), upstream.apiBase());
            String config = """
                    model_list:
                      - model_name: gpt-4o-mini
                        litellm_params: {model: openai/gpt-4o-mini, api_base: %s, api_key: sk-upstream-key}
                    """.formatted(upstream.apiBase());
            Map<String, String> env = Map.of("LLMHUB_JAVA_OPTS", "-Djavax.net.ssl.trustStore=" + trustStore
                    + " -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=" + PASSWORD);
            try (ProxyProcess proxy = ProxyProcess.start(work, config, null, env)) {
                HttpResponse<String> r = proxy.post("/v1/chat/completions",
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertEquals(200, r.statusCode(), r.body() + "\n" + proxy.output());
                assertTrue(r.body().contains("Hello from upstream"), r.body());
                assertEquals(1, upstream.received().size());
                assertEquals("Bearer sk-upstream-key", upstream.received().getFirst().headers().get("authorization").getFirst());
            }
        }
    }

    private static SSLContext serverContext(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    /** Runs the test JDK's keytool (no openssl needed) in {@code dir}. */
    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ":\n" + out);
    }
}
