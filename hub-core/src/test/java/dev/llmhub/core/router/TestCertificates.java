package dev.llmhub.core.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throwaway CA and a server certificate it signed for {@code 127.0.0.1} and {@code localhost}, made
 * with the running JDK's {@code keytool} (no openssl or BouncyCastle needed), written as the PEM files a
 * TLS server reads: the CA's certificate (what clients trust), the server's certificate and its key; and
 * for a JVM client, a trust store holding the CA.
 *
 * @param ca         the CA's certificate
 * @param serverCert the server's certificate, signed by the CA
 * @param serverKey  the server's private key (unencrypted PKCS#8)
 * @param trustStore a PKCS#12 store (password {@link #STORE_PASSWORD}) trusting the CA, for
 *                   {@code -Djavax.net.ssl.trustStore}
 */
public record TestCertificates(Path ca, Path serverCert, Path serverKey, Path trustStore) {
    /** The password of {@link #trustStore()}. */
    public static final String STORE_PASSWORD = "changeit";

    /** Makes them in {@code dir} (valid for two days). */
    public static TestCertificates make(Path dir) {
        try {
            Files.createDirectories(dir);
            Path caStore = dir.resolve("ca.p12");
            Path serverStore = dir.resolve("server.p12");
            keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=llmhub test CA", "-ext", "bc:c", "-validity", "2", "-keystore", caStore.toString());
            keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-validity", "2", "-keystore", serverStore.toString());
            keytool(dir, "-certreq", "-alias", "server", "-keystore", serverStore.toString(), "-file", "server.csr");
            keytool(dir, "-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-infile", "server.csr",
                    "-outfile", "server.pem", "-rfc", "-validity", "2", "-ext", "SAN=ip:127.0.0.1,dns:localhost");
            keytool(dir, "-exportcert", "-alias", "ca", "-keystore", caStore.toString(), "-rfc", "-file", "ca.pem");
            Path trustStore = dir.resolve("trust.p12");
            keytool(dir, "-importcert", "-alias", "ca", "-file", "ca.pem", "-keystore", trustStore.toString());
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(serverStore)) {
                store.load(in, STORE_PASSWORD.toCharArray());
            }
            Key key = store.getKey("server", STORE_PASSWORD.toCharArray());
            Path keyPem = dir.resolve("server.key");
            Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            return new TestCertificates(dir.resolve("ca.pem"), dir.resolve("server.pem"), keyPem, trustStore);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the server key keytool made", e);
        }
    }

    /** @return a TLS context serving the server's certificate and key, for a JDK server on loopback */
    public SSLContext serverContext() {
        try {
            List<Certificate> chain = new ArrayList<>();
            try (InputStream in = Files.newInputStream(serverCert)) {
                chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            String pem = Files.readString(serverKey).replaceAll("-----[A-Z ]+-----|\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, STORE_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, STORE_PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            return tls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context of the test certificates", e);
        }
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
