package dev.llmhub.core.router;

import dev.llmhub.core.config.DeploymentConfig;
import dev.llmhub.core.provider.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A configured deployment at run time: its config, its upstream client, and its limits — the rpm/tpm
 * window and cooldown this replica counts itself, and its name in the shared state all replicas count
 * in when Redis is configured.
 */
public final class Deployment {
    private final DeploymentConfig config;
    private final Provider provider;
    private final RateWindow window;
    private final Cooldown cooldown = new Cooldown();
    private final SharedLimits shared;
    private final String sharedKey;

    Deployment(DeploymentConfig config, Provider provider, SharedLimits shared) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.provider = Objects.requireNonNull(provider, "provider is null");
        this.shared = Objects.requireNonNull(shared, "shared is null");
        this.window = new RateWindow(config.rpm(), config.tpm());
        this.sharedKey = sharedKey(config);
    }

    public DeploymentConfig config() {
        return config;
    }

    public Provider provider() {
        return provider;
    }

    public String id() {
        return config.id();
    }

    RateWindow window() {
        return window;
    }

    Cooldown cooldown() {
        return cooldown;
    }

    /**
     * @return this deployment's part of its Redis keys: {@code {model_name}:id:fingerprint}. The braces
     *         keep a group's keys in one cluster slot (one script sees them all); the fingerprint of
     *         provider, endpoint, model and key keeps two proxies whose default ids collide apart, while
     *         replicas of one config (and proxies sharing one upstream account) count together.
     */
    String sharedKey() {
        return sharedKey;
    }

    /** Counts a finished call's tokens against this deployment's {@code tpm}, here and in the shared state. */
    public void recordTokens(long tokens) {
        if (config.tpm().isEmpty() || tokens <= 0) {
            return;
        }
        window.addTokens(System.nanoTime(), tokens);
        shared.tokens(this, tokens);
    }

    private static String sharedKey(DeploymentConfig c) {
        String group = c.modelName().replace('{', '(').replace('}', ')');
        String identity = c.provider() + "\n" + c.apiBase().orElse("") + "\n" + c.upstreamModel() + "\n"
                + c.apiKey().orElse("");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "{" + group + "}:" + c.id() + ":" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "Deployment[" + config.id() + "]";
    }
}
