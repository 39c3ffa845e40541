package dev.llmhub.core.router;

import dev.llmhub.core.config.DeploymentConfig;
import dev.llmhub.core.provider.Provider;
import java.util.Objects;

/** A configured deployment at run time: its config, its upstream client and its rate window. */
public final class Deployment {
    private final DeploymentConfig config;
    private final Provider provider;
    private final RateWindow window;

    Deployment(DeploymentConfig config, Provider provider) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.provider = Objects.requireNonNull(provider, "provider is null");
        this.window = new RateWindow(config.rpm(), config.tpm());
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

    /** Counts a finished call's tokens against this deployment's {@code tpm}. */
    public void recordTokens(long tokens) {
        window.addTokens(System.nanoTime(), tokens);
    }

    @Override
    public String toString() {
        return "Deployment[" + config.id() + "]";
    }
}
