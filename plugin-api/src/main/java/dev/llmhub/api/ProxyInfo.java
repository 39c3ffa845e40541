package dev.llmhub.api;

import java.util.Objects;

/**
 * The proxy instance that handled a call.
 *
 * @param instance instance name (host name unless configured)
 * @param version  llmhub version
 */
public record ProxyInfo(String instance, String version) {
    public ProxyInfo {
        Objects.requireNonNull(instance, "instance is null");
        Objects.requireNonNull(version, "version is null");
    }
}
