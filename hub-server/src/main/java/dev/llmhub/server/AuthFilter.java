package dev.llmhub.server;

import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.core.gateway.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The master key check. With {@code general_settings.master_key}, every route except
 * {@code /health/*} and {@code /metrics} needs the key in {@code Authorization: Bearer},
 * {@code api-key} or {@code x-api-key}, compared in constant time (401 otherwise). {@code /admin/*}
 * always needs it and answers 403 when no master key is configured. Without a master key the proxy
 * is open (Main says so at startup). A refusal has the route's error shape (Anthropic's on
 * {@code /v1/messages}) and, as every refusal, goes through {@link Rejections}: a record for each. The
 * console ({@code /ui}) checks the key or its login session itself.
 */
public final class AuthFilter implements Filter {
    private final Supplier<Optional<String>> configuredKey;

    /** @param masterKey the running config's master key, read on every request (a reload may change it) */
    AuthFilter(Supplier<Optional<String>> masterKey) {
        this.configuredKey = masterKey;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (path.startsWith("/health/") || path.equals("/health") || path.equals("/metrics")
                || path.equals("/ui") || path.startsWith("/ui/")) {
            chain.proceed();
            return;
        }
        boolean admin = path.equals("/admin") || path.startsWith("/admin/");
        Optional<byte[]> masterKey = configuredKey.get().map(k -> k.getBytes(StandardCharsets.UTF_8));
        if (masterKey.isEmpty()) {
            if (admin) {
                throw new ApiException(ApiError.of(403,
                        "the admin API is disabled: set general_settings.master_key to enable it", "admin_disabled"));
            }
            chain.proceed();
            return;
        }
        Optional<String> presented = presentedKey(req.headers());
        if (presented.isEmpty()) {
            throw new ApiException(ApiError.of(401,
                    "missing API key: send 'Authorization: Bearer <key>' (or an api-key / x-api-key header)",
                    "invalid_api_key"));
        }
        if (!MessageDigest.isEqual(masterKey.get(), presented.get().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(ApiError.of(401, "invalid API key", "invalid_api_key"));
        }
        chain.proceed();
    }

    /** @return the key the client sent, from whichever header carries it */
    public static Optional<String> presentedKey(ServerRequestHeaders headers) {
        Optional<String> auth = headers.first(HeaderNames.AUTHORIZATION).map(String::strip);
        if (auth.isPresent() && !auth.get().isEmpty()) {
            String v = auth.get();
            if (v.regionMatches(true, 0, "Bearer ", 0, 7)) {
                v = v.substring(7).strip();
            }
            if (!v.isEmpty()) {
                return Optional.of(v);
            }
        }
        for (String name : new String[] {"api-key", "x-api-key"}) {
            Optional<String> v = headers.first(HeaderNames.create(name)).map(String::strip).filter(s -> !s.isEmpty());
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }
}
