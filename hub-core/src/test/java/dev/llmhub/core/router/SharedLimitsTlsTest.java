package dev.llmhub.core.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.core.config.ConfigLoader;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.usage.TokenCounter;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared router state over TLS, against a real {@code redis-server} listening with TLS on a
 * certificate of a CA made for this test: replicas that trust that CA ({@code redis_ssl_ca_certs}) share
 * their counts through the TLS port; a replica that does not (the JDK's trust store) refuses the
 * server, says why once and counts alone, and its requests are served all the same.
 */
class SharedLimitsTlsTest extends RedisReplicasFixture {
    private static final String PASSWORD = "t3st-tls-pw";
    private static final TokenCounter TOKENS = new TokenCounter();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.startTls(dir.resolve("redis"), Optional.of(PASSWORD));
        warmUpTls();
    }

    /**
     * One TLS handshake with the server, trusting the test CA, before any replica connects: a cold JVM's
     * first handshake (loading and initializing JSSE and its EC crypto) can outlast a replica's 2 s
     * connect budget on a loaded box, and the tests below are not about that. It gets a generous budget
     * of its own; a server that does not answer TLS, or a certificate the CA did not sign, fails here.
     */
    private static void warmUpTls() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(redis.certificates().ca())) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", redis.tlsPort()), 30_000);
            socket.setSoTimeout(30_000);
            socket.startHandshake();
        }
    }

    /** A replica connecting to the TLS port only, with {@code redis_ssl: true} and these extra settings. */
    private Router replica(String tlsSettings) {
        String yaml = """
                model_list:
                  - model_name: limited
                    litellm_params: {model: openai/x, mock_response: hi, rpm: 50}
                router_settings:
                  redis_host: 127.0.0.1
                  redis_port: %d
                  redis_password: os.environ/REDIS_PW
                  redis_ssl: true
                  redis_timeout: 5s
                %s""".formatted(redis.tlsPort(), tlsSettings);
        HubConfig c = new ConfigLoader(Map.of("REDIS_PW", PASSWORD)).parse("cfg.yaml", Path.of("cfg.yaml"), yaml);
        Router r = new Router(c, TOKENS);
        routers.add(r);
        return r;
    }

    @Test
    void replicasTrustingTheCaInRedisSslCaCertsShareTheirCountsOverTls() {
        String ca = "  redis_ssl_ca_certs: " + redis.certificates().ca() + "\n";
        Router a = replica(ca);
        Router b = replica(ca);
        assertTrue(a.sharedStateUp() && b.sharedStateUp(), log.messages().toString());
        assertEquals("limited-0", a.execute("limited", SharedLimitsTest.NO_OBSERVER, Deployment::id).value());
        assertEquals("limited-0", b.execute("limited", SharedLimitsTest.NO_OBSERVER, Deployment::id).value());
        SharedLimitsTest.awaitTrue("both calls are counted in Redis", () -> requestsInRedis() == 2);
        List<String> clients = ((String) redis.command("CLIENT", "LIST")).lines().filter(l -> l.contains(" name=llmhub ")).toList();
        assertEquals(2, clients.size(), clients.toString());
        for (String client : clients) {
            assertTrue(client.contains(" laddr=127.0.0.1:" + redis.tlsPort() + " "), "connected to the TLS port: " + client);
        }
        assertTrue(log.messages(Level.WARNING).isEmpty(), log.messages().toString());
    }

    @Test
    void aServerCertificateNotSignedByATrustedCaIsRefusedAndTheReplicaCountsAlone() {
        Router a = replica(""); // the JDK's trust store, which does not know the test CA
        assertFalse(a.sharedStateUp());
        List<String> warnings = log.messages(Level.WARNING);
        assertEquals(1, warnings.size(), log.messages().toString());
        assertTrue(warnings.get(0).contains("cannot reach Redis at rediss://127.0.0.1:" + redis.tlsPort() + "/0"), warnings.get(0));
        assertTrue(warnings.get(0).toLowerCase().contains("certification path"), "says why: " + warnings.get(0));
        assertTrue(warnings.stream().noneMatch(m -> m.contains(PASSWORD)));
        for (int i = 0; i < 5; i++) {
            assertEquals("limited-0", a.execute("limited", SharedLimitsTest.NO_OBSERVER, Deployment::id).value(), "served, counted alone");
        }
        assertTrue(((List<?>) redis.command("KEYS", "*")).isEmpty(), "nothing reached Redis");
    }

    private static long requestsInRedis() {
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) redis.command("KEYS", "llmhub:{limited}:*:requests");
        return keys.isEmpty() ? 0 : (Long) redis.command("ZCARD", keys.get(0));
    }
}
