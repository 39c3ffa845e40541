package dev.llmhub.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.core.router.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment whose upstream speaks HTTPS: the proxy's client verifies the upstream's certificate
 * against the JDK's trust store (here one trusting the test's own CA, named by
 * {@code javax.net.ssl.trustStore}) and the call goes through. Plain-HTTP upstreams make no TLS
 * context at all (HttpProvider), so this is the path that still does.
 */
class HttpsUpstreamIT {
    @Test
    void aChatCallReachesAnHttpsUpstream(@TempDir Path work) throws Exception {
        TestCertificates tls = TestCertificates.make(work.resolve("tls"));
        try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream(tls.serverContext())) {
            assertTrue(upstream.apiBase().startsWith("https://"), upstream.apiBase());
            String config = """
                    model_list:
                      - model_name: gpt-4o-mini
                        litellm_params: {model: openai/gpt-4o-mini, api_base: %s, api_key: sk-upstream-key}
                    """.formatted(upstream.apiBase());
            Map<String, String> env = Map.of("LLMHUB_JAVA_OPTS", "-Djavax.net.ssl.trustStore=" + tls.trustStore()
                    + " -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword="
                    + TestCertificates.STORE_PASSWORD);
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
}
