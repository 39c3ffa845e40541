package dev.llmhub.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallRecord;
import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.core.hub.Hub;
import dev.llmhub.core.journal.Entry;
import dev.llmhub.core.journal.JournalStats;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.core.search.CallSearch;
import dev.llmhub.server.ErrorResponses;
import dev.llmhub.server.admin.AdminService;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The console, registered by the server under {@code /ui}: pages to watch calls live, find one and see
 * where its record went, watch and steer the destinations, and see plugins and config. Everything is
 * served from the jar; pages load only this origin's scripts and styles (a Content-Security-Policy
 * without {@code unsafe-inline}, with Trusted Types so no code can write HTML from a string).
 *
 * <p>Pages: {@code /ui/calls}, {@code /ui/calls/{id}}, {@code /ui/destinations}, {@code /ui/plugins},
 * {@code /ui/login}. The JSON API is under {@code /ui/api} (documented in {@code docs/console.md});
 * admin-only: the master key logs in once (session cookie) or comes with each request
 * ({@code Authorization: Bearer}) — see {@link ConsoleAuth}. Without a master key the console is off.
 */
public final class ConsoleService implements HttpService {
    static final String OFF_MESSAGE = "the console is off because no master key is configured: set "
            + "general_settings.master_key in the config file (it is reloaded on change, SIGHUP or restart), "
            + "then log in at /ui with that key";
    /** Longest a list request scans the journal before it answers with what it found. */
    static final Duration SEARCH_BUDGET = Duration.ofSeconds(2);
    /** Longest a call page looks for its call without a usable offset hint. */
    static final Duration FIND_BUDGET = Duration.ofSeconds(10);
    private static final int MAX_LOGIN_BODY = 8 * 1024;
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; "
            + "require-trusted-types-for 'script'; trusted-types 'none'";

    private final Hub hub;
    private final AdminService admin;
    private final ConsoleAuth auth;
    private final ConsoleAssets assets = new ConsoleAssets();
    private final CallSearch search;
    private final LiveTail tail;

    /** @param hub the running proxy */
    public ConsoleService(Hub hub) {
        this.hub = hub;
        this.admin = new AdminService(hub);
        this.auth = new ConsoleAuth(() -> hub.config().general().masterKey(), Clock.systemUTC());
        this.search = new CallSearch(hub.journal(), (offset, status) -> hub.delivery().statesOf(offset, status));
        this.tail = new LiveTail(search, hub.delivery());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> redirect(res, "/ui/calls"))
                .get("/login", this::loginPage)
                .get("/assets/{name}", this::asset)
                .get("/calls", this::page)
                .get("/calls/{id}", this::page)
                .get("/destinations", this::page)
                .get("/plugins", this::page)
                .post("/api/login", this::login)
                .post("/api/logout", api(true, this::logout))
                .get("/api/session", api(false, this::session))
                .get("/api/calls", api(false, this::calls))
                .get("/api/calls/stream", api(false, this::stream))
                .get("/api/calls/{id}", api(false, this::call))
                .get("/api/calls/{id}/request", api(false, (req, res) -> part(req, res, true)))
                .get("/api/calls/{id}/response", api(false, (req, res) -> part(req, res, false)))
                .get("/api/destinations", api(false, this::destinations))
                .post("/api/destinations/{name}/pause", api(true, (req, res) -> admin.pause(req, res, true)))
                .post("/api/destinations/{name}/resume", api(true, (req, res) -> admin.pause(req, res, false)))
                .post("/api/destinations/{name}/replay", api(true, admin::replay))
                .get("/api/plugins", api(false, admin::plugins))
                .post("/api/plugins/reload", api(true, admin::reloadPlugins))
                .get("/api/config", api(false, admin::config))
                .post("/api/config/reload", api(true, admin::reloadConfig))
                .any("/api", api(false, this::noSuchApi))
                .any("/api/*", api(false, this::noSuchApi));
    }

    // ---- guards ----

    /** Every console answer: only this origin's scripts, never framed, never cached, never sniffed. */
    private static void secure(ServerResponse res, boolean cache) {
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        res.header(HeaderNames.create("X-Frame-Options"), "DENY");
        res.header(HeaderNames.create("Cross-Origin-Opener-Policy"), "same-origin");
        res.header(HeaderNames.create("Cross-Origin-Resource-Policy"), "same-origin");
        res.header(HeaderNames.CACHE_CONTROL, cache ? "no-cache" : "no-store");
    }

    /** The JSON API: the key or a session; a change also passes the CSRF and same-origin checks. */
    private Handler api(boolean unsafe, Handler handler) {
        return (req, res) -> {
            secure(res, false);
            ConsoleAuth.Access access = auth.access(req);
            Optional<ApiError> refused = switch (access) {
                case ConsoleAuth.Off o -> Optional.of(ApiError.of(403, OFF_MESSAGE, "console_disabled"));
                case ConsoleAuth.WrongKey w -> Optional.of(ApiError.of(401, "invalid API key", "invalid_api_key"));
                case ConsoleAuth.Anonymous a -> Optional.of(ApiError.of(401, "log in at /ui/login, or send "
                        + "'Authorization: Bearer <master key>'", "invalid_api_key"));
                default -> unsafe ? auth.refuseUnsafe(req, access) : Optional.empty();
            };
            if (refused.isPresent()) {
                ErrorResponses.send(res, refused.get());
                return;
            }
            req.context().register(access);
            handler.handle(req, res);
        };
    }

    private void page(ServerRequest req, ServerResponse res) {
        secure(res, false);
        switch (auth.access(req)) {
            case ConsoleAuth.Off o -> sendPage(res, Status.FORBIDDEN_403, "off.html");
            case ConsoleAuth.WrongKey w -> ErrorResponses.send(res, ApiError.of(401, "invalid API key", "invalid_api_key"));
            case ConsoleAuth.Anonymous a -> redirect(res, "/ui/login?next="
                    + URLEncoder.encode(req.path().absolute().path(), StandardCharsets.UTF_8));
            default -> sendPage(res, Status.OK_200, "console.html");
        }
    }

    private void loginPage(ServerRequest req, ServerResponse res) {
        secure(res, false);
        switch (auth.access(req)) {
            case ConsoleAuth.Off o -> sendPage(res, Status.FORBIDDEN_403, "off.html");
            case ConsoleAuth.LoggedIn l -> redirect(res, "/ui/calls");
            default -> sendPage(res, Status.OK_200, "login.html");
        }
    }

    private void sendPage(ServerResponse res, Status status, String name) {
        ConsoleAssets.File f = assets.page(name);
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, f.contentType());
        res.send(f.bytes());
    }

    private void asset(ServerRequest req, ServerResponse res) {
        secure(res, true);
        Optional<ConsoleAssets.File> f = assets.asset(req.path().pathParameters().get("name"));
        if (f.isEmpty()) {
            ErrorResponses.send(res, ApiError.of(404, "no such console file", "not_found"));
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, f.get().contentType());
        res.send(f.get().bytes());
    }

    private static void redirect(ServerResponse res, String to) {
        res.status(Status.SEE_OTHER_303);
        res.header(HeaderNames.LOCATION, to);
        res.send();
    }

    // ---- session ----

    private void login(ServerRequest req, ServerResponse res) {
        secure(res, false);
        Optional<ApiError> cross = auth.refuseCrossSite(req);
        if (cross.isPresent()) {
            ErrorResponses.send(res, cross.get());
            return;
        }
        String key;
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes(MAX_LOGIN_BODY + 1);
            if (body.length > MAX_LOGIN_BODY) {
                ErrorResponses.send(res, ApiError.invalid(null, "login body larger than " + MAX_LOGIN_BODY + " bytes"));
                return;
            }
            JsonNode json = CallRecordJson.mapper().readTree(body);
            JsonNode k = json == null ? null : json.get("key");
            if (k == null || !k.isTextual()) {
                ErrorResponses.send(res, ApiError.invalid("key", "send {\"key\": \"<master key>\"}"));
                return;
            }
            key = k.asText();
        } catch (IOException e) {
            ErrorResponses.send(res, ApiError.invalid(null, "login body is not JSON: send {\"key\": \"<master key>\"}"));
            return;
        }
        ConsoleAuth.Login login = auth.login(key);
        if (login.refused() != null) {
            ErrorResponses.send(res, login.refused());
            return;
        }
        res.header(HeaderNames.SET_COOKIE, ConsoleAuth.cookie(login.opened().token(), req.isSecure()));
        json(res, Map.of("csrf_token", login.opened().session().csrfToken()));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        auth.logout(access(req));
        res.header(HeaderNames.SET_COOKIE, ConsoleAuth.expiredCookie(req.isSecure()));
        json(res, Map.of("logged_out", true));
    }

    private void session(ServerRequest req, ServerResponse res) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (access(req) instanceof ConsoleAuth.LoggedIn in) {
            m.put("auth", "session");
            m.put("csrf_token", in.session().csrfToken());
        } else {
            m.put("auth", "bearer");
            m.put("csrf_token", null);
        }
        json(res, m);
    }

    private static ConsoleAuth.Access access(ServerRequest req) {
        return req.context().get(ConsoleAuth.Access.class).orElse(new ConsoleAuth.Anonymous());
    }

    // ---- calls ----

    private void calls(ServerRequest req, ServerResponse res) {
        CallQuery q;
        try {
            q = CallQuery.parse(req.query());
        } catch (CallQuery.BadQuery e) {
            ErrorResponses.send(res, e.error);
            return;
        }
        // the newest offset first: the live tail starts after it, so nothing falls between page and tail
        long newest = search.newestOffset();
        CallSearch.Page page = search.newest(q.filter(), q.before().isPresent() ? q.before()
                : OptionalLong.of(newest + 1), q.limit(), SEARCH_BUDGET);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calls", page.calls().stream().map(e -> CallViews.row(e, states(e))).toList());
        m.put("next_before", page.nextBefore().isPresent() ? page.nextBefore().getAsLong() : null);
        m.put("complete", page.complete());
        m.put("newest_offset", newest);
        m.put("journal", journal(page.journal()));
        json(res, m);
    }

    private void stream(ServerRequest req, ServerResponse res) {
        CallQuery q;
        OptionalLong after;
        try {
            q = CallQuery.parse(req.query());
            after = CallQuery.offset(req.query(), "after", -1);
            Optional<String> lastId = req.headers().first(HeaderNames.create("Last-Event-ID"));
            if (lastId.isPresent()) {
                after = OptionalLong.of(Long.parseLong(lastId.get().strip()));
            }
        } catch (CallQuery.BadQuery e) {
            ErrorResponses.send(res, e.error);
            return;
        } catch (NumberFormatException e) {
            ErrorResponses.send(res, ApiError.invalid(null, "Last-Event-ID must be a journal offset"));
            return;
        }
        if (!tail.tryOpen()) {
            ErrorResponses.send(res, new ApiError(429, "rate_limit_error", "too many live tails open (at most "
                    + LiveTail.MAX_STREAMS + ")", Optional.empty(), Optional.of("too_many_streams"),
                    Optional.of(Duration.ofSeconds(5))));
            return;
        }
        tail.stream(res, q.filter(), after.isPresent() ? after.getAsLong() : search.newestOffset());
    }

    private void call(ServerRequest req, ServerResponse res) {
        Optional<Entry<CallRecord>> e = find(req, res);
        if (e.isPresent()) {
            Entry<CallRecord> entry = e.get();
            json(res, CallViews.detail(entry, hub.delivery().deliveryOf(entry.offset(), entry.value().status()),
                    states(entry)));
        }
    }

    private void part(ServerRequest req, ServerResponse res, boolean request) {
        Optional<Entry<CallRecord>> e = find(req, res);
        if (e.isPresent()) {
            json(res, request ? CallViews.request(e.get().value()) : CallViews.response(e.get().value()));
        }
    }

    /** @return the call the path names, or empty when an error was sent */
    private Optional<Entry<CallRecord>> find(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        OptionalLong hint;
        try {
            hint = CallQuery.offset(req.query(), "offset", 0);
        } catch (CallQuery.BadQuery e) {
            ErrorResponses.send(res, e.error);
            return Optional.empty();
        }
        Optional<Entry<CallRecord>> e = search.find(id, hint, FIND_BUDGET);
        if (e.isEmpty()) {
            JournalStats s = hub.journal().stats();
            ErrorResponses.send(res, ApiError.of(404, "no call with id '" + id + "' in the journal; it holds calls "
                    + s.oldestTimestamp().map(t -> "since " + t).orElse("from now on")
                    + " (older ones are removed by general_settings.journal.max_age and max_disk)", "not_found"));
        }
        return e;
    }

    private Map<String, dev.llmhub.core.delivery.RecordDelivery.State> states(Entry<CallRecord> e) {
        return hub.delivery().statesOf(e.offset(), e.value().status());
    }

    private static Map<String, Object> journal(JournalStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("oldest_offset", s.oldestOffset());
        m.put("oldest_time", s.oldestTimestamp().map(Instant::toString).orElse(null));
        m.put("head_offset", s.headOffset());
        return m;
    }

    // ---- destinations ----

    @SuppressWarnings("unchecked")
    private void destinations(ServerRequest req, ServerResponse res) {
        AdminService.guarded(res, () -> {
            Map<String, Object> view = admin.destinationsView();
            for (Object o : (List<Object>) view.get("destinations")) {
                Map<String, Object> lane = (Map<String, Object>) o;
                hub.delivery().timeline((String) lane.get("name"))
                        .ifPresent(t -> lane.put("timeline", CallViews.timeline(t)));
            }
            return view;
        });
    }

    private void noSuchApi(ServerRequest req, ServerResponse res) {
        ErrorResponses.send(res, ApiError.of(404, "no console API " + req.prologue().method().text() + " "
                + req.path().path() + "; see docs/console.md", "not_found"));
    }

    private static void json(ServerResponse res, Object body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(CallRecordJson.write(body));
    }
}
