package dev.llmhub.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the replicas of one proxy share their router state ({@code router_settings.redis_*}).
 * {@link #toString()} and {@link #display()} never show the password.
 *
 * @param host      Redis host
 * @param port      Redis port
 * @param database  database number ({@code SELECT})
 * @param username  ACL user, when not the default one
 * @param password  {@code AUTH} password; never logged
 * @param tls       connect with TLS ({@code rediss://} or {@code redis_ssl: true})
 * @param caCerts   PEM file of the CAs to trust for TLS, instead of the JDK's
 * @param timeout   how long one command may take before this replica counts locally
 * @param namespace first part of every key, so several proxies can share one Redis
 */
public record RedisSettings(String host, int port, int database, Optional<String> username,
                            Optional<String> password, boolean tls, Optional<Path> caCerts, Duration timeout,
                            String namespace) {
    public static final int DEFAULT_PORT = 6379;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);
    public static final String DEFAULT_NAMESPACE = "llmhub";

    public RedisSettings {
        Objects.requireNonNull(host, "host is null");
        Objects.requireNonNull(username, "username is null");
        Objects.requireNonNull(password, "password is null");
        Objects.requireNonNull(caCerts, "caCerts is null");
        Objects.requireNonNull(timeout, "timeout is null");
        Objects.requireNonNull(namespace, "namespace is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535");
        }
    }

    /** @return e.g. {@code rediss://cache.internal:6380/0}: what logs and the admin API show */
    public String display() {
        return (tls ? "rediss://" : "redis://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + database;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "RedisSettings[" + display() + ", user=" + username.orElse("default") + ", password="
                + (password.isPresent() ? "[REDACTED]" : "none") + ", timeout=" + timeout.toMillis() + "ms, namespace="
                + namespace + "]";
    }
}
