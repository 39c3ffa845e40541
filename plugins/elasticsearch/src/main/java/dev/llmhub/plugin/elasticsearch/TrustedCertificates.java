package dev.llmhub.plugin.elasticsearch;

import dev.llmhub.api.PluginConfigException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds a TLS context that trusts exactly the CA certificates of a PEM file ({@code ca_cert}). */
final class TrustedCertificates {
    private TrustedCertificates() {
    }

    /**
     * @param key     the setting, for messages
     * @param pemFile PEM file with one or more certificates
     * @return a TLS context trusting them
     * @throws PluginConfigException when the file holds no readable certificate
     */
    static SSLContext sslContext(String key, Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new PluginConfigException(key + ": '" + pemFile + "' holds no certificate; expected a PEM file");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (PluginConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new PluginConfigException(key + ": cannot read certificates from '" + pemFile + "': "
                    + e.getClass().getSimpleName() + "; expected a PEM file of CA certificates", e);
        }
    }
}
