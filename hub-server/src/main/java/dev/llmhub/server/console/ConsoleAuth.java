package dev.llmhub.server.console;

import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.server.AuthFilter;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who may use the console, and the checks every state-changing request passes.
 * <ul>
 *   <li>No master key configured: the console is off.</li>
 *   <li>A key in {@code Authorization: Bearer} (or {@code api-key}, {@code x-api-key}): it must be the
 *       master key — for scripts and tests. A browser never adds this header by itself, so such
 *       requests need no CSRF defence.</li>
 *   <li>Otherwise the login session cookie ({@code HttpOnly}, {@code SameSite=Strict}, path
 *       {@code /ui}). A POST with it must carry the session's CSRF token in {@code X-LLMHub-CSRF}
 *       (a custom header also forces a CORS preflight, which the console never grants), and must not
 *       come from another site: {@code Sec-Fetch-Site}, when sent, is {@code same-origin}, and
 *       {@code Origin}, when sent, names this host.</li>
 * </ul>
 * Failed logins are limited to {@link #FAILED_LOGINS_PER_MINUTE} a minute for the whole proxy.
 */
final class ConsoleAuth {
    static final String COOKIE = "llmhub_console";
    static final String CSRF_HEADER = "X-LLMHub-CSRF";
    static final int FAILED_LOGINS_PER_MINUTE = 10;

    /** What a request may do. */
    sealed interface Access permits Off, Bearer, LoggedIn, Anonymous, WrongKey {
    }

    /** No master key: the console is off. */
    record Off() implements Access {
    }

    /** The master key in a header. */
    record Bearer() implements Access {
    }

    /** A live login session. @param token its cookie token @param session the session */
    record LoggedIn(String token, ConsoleSessions.Session session) implements Access {
    }

    /** Neither key nor session. */
    record Anonymous() implements Access {
    }

    /** A key that is not the master key. */
    record WrongKey() implements Access {
    }

    private final Supplier<Optional<String>> masterKey;
    private final ConsoleSessions sessions;
    private final Clock clock;
    private final Deque<Long> failures = new ArrayDeque<>();

    /** @param masterKey the running config's master key, read per request (a reload may change it) */
    ConsoleAuth(Supplier<Optional<String>> masterKey, Clock clock) {
        this.masterKey = masterKey;
        this.clock = clock;
        this.sessions = new ConsoleSessions(clock);
    }

    Access access(ServerRequest req) {
        Optional<String> key = masterKey.get();
        if (key.isEmpty()) {
            return new Off();
        }
        Optional<String> presented = AuthFilter.presentedKey(req.headers());
        if (presented.isPresent()) {
            return isMasterKey(key.get(), presented.get()) ? new Bearer() : new WrongKey();
        }
        Optional<String> token = req.headers().cookies().first(COOKIE).asOptional();
        if (token.isPresent()) {
            Optional<ConsoleSessions.Session> s = sessions.find(token.get(), ConsoleSessions.fingerprint(key.get()));
            if (s.isPresent()) {
                return new LoggedIn(token.get(), s.get());
            }
        }
        return new Anonymous();
    }

    /**
     * @return why a state-changing request must be refused, or empty when it may go on
     */
    Optional<ApiError> refuseUnsafe(ServerRequest req, Access access) {
        if (access instanceof LoggedIn in) {
            Optional<ApiError> cross = refuseCrossSite(req);
            if (cross.isPresent()) {
                return cross;
            }
            String sent = req.headers().first(HeaderNames.create(CSRF_HEADER)).orElse("");
            if (!MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                    in.session().csrfToken().getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(ApiError.of(403, "missing or wrong " + CSRF_HEADER + " header: the console sends "
                        + "the token from GET /ui/api/session with every change", "csrf_failed"));
            }
        }
        return Optional.empty();
    }

    /** @return a refusal when the browser says the request comes from another site */
    Optional<ApiError> refuseCrossSite(ServerRequest req) {
        Optional<String> site = req.headers().first(HeaderNames.create("Sec-Fetch-Site"));
        if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
            return Optional.of(ApiError.of(403, "cross-site request refused (Sec-Fetch-Site: " + site.get() + ")",
                    "cross_site"));
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        Optional<String> host = req.headers().first(HeaderNames.HOST);
        if (origin.isPresent()) {
            String o = origin.get();
            int scheme = o.indexOf("://");
            String authority = scheme < 0 ? "" : o.substring(scheme + 3);
            if (host.isEmpty() || !authority.equalsIgnoreCase(host.get())) {
                return Optional.of(ApiError.of(403, "cross-origin request refused: Origin " + o
                        + " is not this console's host " + host.orElse("(none)"), "cross_origin"));
            }
        }
        return Optional.empty();
    }

    /**
     * Checks a login.
     *
     * @param presented the key typed in
     * @return the new session, or the refusal
     */
    Login login(String presented) {
        Optional<String> key = masterKey.get();
        if (key.isEmpty()) {
            return new Login(null, ApiError.of(403, ConsoleService.OFF_MESSAGE, "console_disabled"));
        }
        synchronized (failures) {
            long now = clock.millis();
            while (!failures.isEmpty() && now - failures.peekFirst() > 60_000) {
                failures.pollFirst();
            }
            if (failures.size() >= FAILED_LOGINS_PER_MINUTE) {
                long wait = 60_000 - (now - failures.peekFirst());
                return new Login(null, new ApiError(429, "rate_limit_error", "too many failed logins; try again in "
                        + Math.max(1, wait / 1000) + " s", Optional.empty(), Optional.of("login_rate_limited"),
                        Optional.of(Duration.ofMillis(wait))));
            }
            if (presented == null || !isMasterKey(key.get(), presented)) {
                failures.addLast(now);
                return new Login(null, ApiError.of(401, "invalid key: log in with general_settings.master_key",
                        "invalid_api_key"));
            }
        }
        return new Login(sessions.open(ConsoleSessions.fingerprint(key.get())), null);
    }

    /** @param opened the session, when the key was right @param refused else why not */
    record Login(ConsoleSessions.Opened opened, ApiError refused) {
    }

    void logout(Access access) {
        if (access instanceof LoggedIn in) {
            sessions.close(in.token());
        }
    }

    /** @return the {@code Set-Cookie} value for a new session */
    static String cookie(String token, boolean secure) {
        return COOKIE + "=" + token + "; Path=/ui; HttpOnly; SameSite=Strict; Max-Age="
                + ConsoleSessions.MAX_AGE.toSeconds() + (secure ? "; Secure" : "");
    }

    /** @return the {@code Set-Cookie} value that removes the session cookie */
    static String expiredCookie(boolean secure) {
        return COOKIE + "=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0" + (secure ? "; Secure" : "");
    }

    private static boolean isMasterKey(String key, String presented) {
        return MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
