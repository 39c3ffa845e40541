package dev.llmhub.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.ApiKeyInfo;
import dev.llmhub.api.CallType;
import dev.llmhub.core.gateway.ClientCall;
import io.helidon.http.Header;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A request as the gateway sees it ({@link ClientCall}): its call id and arrival, headers, the
 * client's address and key — the key only as a hash, and alias when it is the master key.
 */
final class ClientCalls {
    private final Supplier<Optional<String>> masterKey;

    /** @param masterKey the running config's master key, read on every request (a reload may change it) */
    ClientCalls(Supplier<Optional<String>> masterKey) {
        this.masterKey = masterKey;
    }

    /**
     * @param req  the request
     * @param type the API its path names
     * @param body its parsed body; empty when it was never read or could not be parsed
     */
    ClientCall of(ServerRequest req, CallType type, ObjectNode body) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : req.headers()) {
            headers.merge(h.name().toLowerCase(Locale.ROOT), h.value(), (a, b) -> a + ", " + b);
        }
        Optional<ApiKeyInfo> key = AuthFilter.presentedKey(req.headers()).map(this::keyInfo);
        Optional<String> ip = Optional.ofNullable(req.remotePeer().host());
        CallIdFilter.CallId id = CallIdFilter.of(req);
        return new ClientCall(id.value(), type, req.path().path(), body, headers, ip, key, id.start(), id.startNanos());
    }

    private ApiKeyInfo keyInfo(String presented) {
        boolean master = masterKey.get().map(k -> MessageDigest.isEqual(k.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))).orElse(false);
        return new ApiKeyInfo(KeyHasher.sha256(presented), master ? Optional.of("master_key") : Optional.empty());
    }

    /** @return the API a path names, with or without {@code /v1}; {@link CallType#OTHER} for any other path */
    static CallType callType(String path) {
        String p = path.startsWith("/v1/") ? path.substring(3) : path;
        return switch (p) {
            case "/chat/completions" -> CallType.CHAT;
            case "/completions" -> CallType.COMPLETION;
            case "/embeddings" -> CallType.EMBEDDING;
            case "/messages" -> CallType.MESSAGES;
            case "/responses" -> CallType.RESPONSES;
            default -> CallType.OTHER;
        };
    }
}
