package dev.llmhub.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.core.delivery.Waits;
import dev.llmhub.core.hub.Hub;
import dev.llmhub.core.plugin.BuiltPlugins;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.server.Main;
import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's routes on a real Helidon server (the proxy's whole routing, filters included) over a
 * running hub with two lanes — one that delivers, one that always throws: who gets in (key, session,
 * neither), the CSRF and same-origin checks, the security headers, the calls API (paging, filters,
 * errors, one call with its delivery state, request and response), the live tail, the destinations
 * with their last hour, and the console off without a master key.
 */
class ConsoleServiceTest {
    private static final String KEY = "sk-console-test-Qz8";
    private static final String CONFIG = """
            model_list:
              - model_name: m
                litellm_params:
                  model: mock/m
            litellm_settings:
              callbacks: ["faulty.collect", "faulty.throwing"]
            callback_settings:
              faulty.collect:
                flush_interval: 10ms
              faulty.throwing:
                flush_interval: 10ms
                retry_initial_backoff: 50ms
                retry_max_backoff: 200ms
            general_settings:
              master_key: %s
            """;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Path work;
    private static Path config;
    private static Hub hub;
    private static WebServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("console");
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        BuiltPlugins.install(BuiltPlugins.faulty(), plugins);
        config = Files.writeString(work.resolve("config.yaml"), CONFIG.formatted(KEY));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        hub = Hub.start(new Hub.Options(config, plugins, Optional.of(work.resolve("data")), Optional.empty(), Map.of()),
                registry, new ProxyInfo("test", "0"));
        server = WebServer.builder().port(0).host("127.0.0.1")
                .routing(r -> Main.routing(r, hub.gateway(), registry, hub))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        hub.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, "Authorization", "Bearer " + KEY);
    }

    private static HttpResponse<String> login(String key, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/ui/api/login")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CallRecordJson.write(Map.of("key", key))));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return CallRecordJson.mapper().readTree(r.body());
    }

    private static void assertOpenAiError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = json(r).get("error");
        assertNotNull(e, r.body());
        assertTrue(e.get("message").isTextual() && e.has("type") && e.has("param"), r.body());
        assertEquals(code, e.get("code").asText(), r.body());
    }

    /** Publishes a record as the request path does and waits until the console's search sees it. */
    private static CallRecord publish(CallRecord r) throws Exception {
        hub.delivery().sink().publish(r);
        Waits.until(WAIT, "the record in the journal", () -> "", () -> {
            try {
                return get("/ui/api/calls?q=" + r.id()).body().contains(r.id());
            } catch (Exception e) {
                return false;
            }
        });
        return r;
    }

    @Test
    void theApiAndThePagesRefuseWhoeverHasNeitherKeyNorSession() throws Exception {
        assertOpenAiError(send("GET", "/ui/api/calls"), 401, "invalid_api_key");
        assertOpenAiError(send("GET", "/ui/api/calls", "Authorization", "Bearer sk-wrong"), 401, "invalid_api_key");
        assertOpenAiError(send("POST", "/ui/api/destinations/faulty.collect/pause"), 401, "invalid_api_key");
        assertOpenAiError(send("GET", "/ui/api/calls", "Cookie", ConsoleAuth.COOKIE + "=forged"), 401, "invalid_api_key");
        HttpResponse<String> page = send("GET", "/ui/calls");
        assertEquals(303, page.statusCode());
        assertEquals("/ui/login?next=%2Fui%2Fcalls", page.headers().firstValue("location").orElseThrow());
        assertEquals(303, send("GET", "/ui/").statusCode());
        assertEquals("/ui/calls", send("GET", "/ui").headers().firstValue("location").orElseThrow());
        assertEquals(200, get("/ui/api/calls").statusCode());
        HttpResponse<String> withKey = get("/ui/destinations");
        assertEquals(200, withKey.statusCode());
        assertTrue(withKey.body().contains("<script type=\"module\" src=\"/ui/assets/app.js\"></script>"));
        assertTrue(withKey.headers().firstValue("x-llmhub-call-id").isEmpty(), "console answers are not calls");
        // the login page and the assets need no login: they hold no data
        assertEquals(200, send("GET", "/ui/login").statusCode());
        assertEquals(200, send("GET", "/ui/assets/login.js").statusCode());
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        for (HttpResponse<String> r : List.of(get("/ui/calls"), send("GET", "/ui/login"), get("/ui/api/calls"),
                send("GET", "/ui/assets/app.js"))) {
            String csp = r.headers().firstValue("content-security-policy").orElseThrow();
            assertTrue(csp.contains("script-src 'self'") && csp.contains("default-src 'none'")
                    && csp.contains("require-trusted-types-for 'script'"), csp);
            assertFalse(csp.contains("unsafe"), csp);
            assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElseThrow());
            assertEquals("DENY", r.headers().firstValue("x-frame-options").orElseThrow());
        }
        HttpResponse<String> js = send("GET", "/ui/assets/app.js");
        assertTrue(js.headers().firstValue("content-type").orElseThrow().startsWith("text/javascript"));
        assertOpenAiError(send("GET", "/ui/assets/nope.js"), 404, "not_found");
        assertEquals(404, send("GET", "/ui/assets/..%2Fpages%2Fconsole.html").statusCode());
    }

    @Test
    void aSessionOpensWithTheKeyAndEveryChangeNeedsItsCsrfTokenFromThisOrigin() throws Exception {
        assertOpenAiError(login("sk-wrong"), 401, "invalid_api_key");
        HttpResponse<String> in = login(KEY);
        assertEquals(200, in.statusCode(), in.body());
        String setCookie = in.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(setCookie.startsWith(ConsoleAuth.COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/ui"),
                setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = json(in).get("csrf_token").asText();
        assertTrue(csrf.length() >= 40);
        assertFalse(setCookie.contains(csrf), "the CSRF token is not the session token");

        assertEquals(200, send("GET", "/ui/calls", "Cookie", cookie).statusCode());
        assertEquals(303, send("GET", "/ui/login", "Cookie", cookie).statusCode(), "logged in: no login page");
        assertEquals(csrf, json(send("GET", "/ui/api/session", "Cookie", cookie)).get("csrf_token").asText());

        String pause = "/ui/api/destinations/faulty.collect/pause";
        String host = "127.0.0.1:" + server.port();
        assertOpenAiError(send("POST", pause, "Cookie", cookie), 403, "csrf_failed");
        assertOpenAiError(send("POST", pause, "Cookie", cookie, ConsoleAuth.CSRF_HEADER, "wrong"), 403, "csrf_failed");
        assertOpenAiError(send("POST", pause, "Cookie", cookie, ConsoleAuth.CSRF_HEADER, csrf,
                "Origin", "http://evil.example"), 403, "cross_origin");
        assertOpenAiError(send("POST", pause, "Cookie", cookie, ConsoleAuth.CSRF_HEADER, csrf,
                "Sec-Fetch-Site", "cross-site"), 403, "cross_site");
        assertOpenAiError(login(KEY, "Origin", "http://evil.example"), 403, "cross_origin");
        HttpResponse<String> ok = send("POST", pause, "Cookie", cookie, ConsoleAuth.CSRF_HEADER, csrf,
                "Origin", "http://" + host, "Sec-Fetch-Site", "same-origin");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("paused", lane("faulty.collect").get("state").asText());
        // a script with the key needs no CSRF token: a browser never sends that header on its own
        assertEquals(200, send("POST", "/ui/api/destinations/faulty.collect/resume", "Authorization", "Bearer " + KEY)
                .statusCode());

        HttpResponse<String> out = send("POST", "/ui/api/logout", "Cookie", cookie, ConsoleAuth.CSRF_HEADER, csrf);
        assertEquals(200, out.statusCode());
        assertTrue(out.headers().firstValue("set-cookie").orElseThrow().contains("Max-Age=0"));
        assertOpenAiError(send("GET", "/ui/api/calls", "Cookie", cookie), 401, "invalid_api_key");
    }

    @Test
    void aNewMasterKeyEndsEverySession() throws Exception {
        String cookie = login(KEY).headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        assertEquals(200, send("GET", "/ui/api/calls", "Cookie", cookie).statusCode());
        try {
            Files.writeString(config, CONFIG.formatted(KEY + "-rotated"));
            assertTrue(hub.reload("test").applied());
            assertOpenAiError(send("GET", "/ui/api/calls", "Cookie", cookie), 401, "invalid_api_key");
        } finally {
            Files.writeString(config, CONFIG.formatted(KEY));
            assertTrue(hub.reload("test").applied());
        }
    }

    @Test
    void failedLoginsAreLimited() throws Exception {
        // a console of its own, so the limit does not touch the other tests' logins
        WebServer other = WebServer.builder().port(0).host("127.0.0.1")
                .routing(r -> r.register("/ui", new ConsoleService(hub))).build().start();
        try {
            HttpResponse<String> last = null;
            for (int i = 0; i <= ConsoleAuth.FAILED_LOGINS_PER_MINUTE; i++) {
                last = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/ui/api/login"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"sk-guess-" + i + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            assertOpenAiError(last, 429, "login_rate_limited");
            assertTrue(last.headers().firstValue("retry-after").isPresent());
        } finally {
            other.stop();
        }
    }

    @Test
    void callsArePagedNewestFirstFilteredAndFound() throws Exception {
        CallRecord a = publish(SampleRecords.seedSuccess().user("console-user-a").build());
        CallRecord b = publish(SampleRecords.rateLimitedFailure().id("call-" + java.util.UUID.randomUUID())
                .user("console-user-b").build());
        CallRecord c = publish(SampleRecords.seedSuccess().user("console-user-a")
                .metadata(Map.of("session_id", "console-session-77")).build());

        JsonNode page = json(get("/ui/api/calls?limit=2"));
        assertEquals(c.id(), page.at("/calls/0/id").asText(), page.toString());
        assertEquals(b.id(), page.at("/calls/1/id").asText());
        assertTrue(page.get("next_before").isNumber());
        JsonNode older = json(get("/ui/api/calls?limit=1&before=" + page.get("next_before").asLong()));
        assertEquals(a.id(), older.at("/calls/0/id").asText());

        JsonNode row = page.at("/calls/1");
        assertEquals("failure", row.get("status").asText());
        assertEquals("console-user-b", row.get("user").asText());
        assertEquals("master", row.get("key").asText());
        assertEquals(11, row.get("prompt_tokens").asLong());
        assertTrue(row.get("error").asText().startsWith("rate_limit_error: "), row.toString());
        assertTrue(row.at("/destinations/faulty.collect").isTextual(), row.toString());

        JsonNode failures = json(get("/ui/api/calls?status=failure&user=console-user-b"));
        assertEquals(1, failures.get("calls").size(), failures.toString());
        assertEquals(c.id(), json(get("/ui/api/calls?q=session_id%3Dconsole-session-77")).at("/calls/0/id").asText());
        assertEquals(1, json(get("/ui/api/calls?q=" + a.id())).get("calls").size());

        assertOpenAiError(get("/ui/api/calls?status=maybe"), 400, "400");
        assertEquals("status", json(get("/ui/api/calls?status=maybe")).at("/error/param").asText());
        assertEquals("limit", json(get("/ui/api/calls?limit=0")).at("/error/param").asText());
        assertEquals("from", json(get("/ui/api/calls?from=yesterday")).at("/error/param").asText());
        assertEquals("outcome", json(get("/ui/api/calls?outcome=lost")).at("/error/param").asText());
        assertOpenAiError(get("/ui/api/nothing-here"), 404, "not_found");
    }

    @Test
    void oneCallShowsWhereItsRecordWentAndItsRequestAndResponseOnlyWhenAsked() throws Exception {
        CallRecord r = publish(SampleRecords.seedSuccess().build());
        // the failing lane retries its first batches forever; a later record waits behind them (pending),
        // and either way the page says why
        java.util.concurrent.atomic.AtomicReference<JsonNode> seen = new java.util.concurrent.atomic.AtomicReference<>();
        Waits.until(WAIT, "delivered to the working lane, and the failing lane's reason", seen::get, () -> {
            try {
                JsonNode p = json(get("/ui/api/calls/" + r.id()));
                seen.set(p);
                return p.at("/destinations/0/state").asText().equals("delivered")
                        && p.at("/destinations/1/reason").asText().contains("export exploded on purpose");
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode page = seen.get();
        JsonNode ok = page.at("/destinations/0");
        assertEquals("faulty.collect", ok.get("name").asText());
        assertTrue(ok.get("time").isTextual(), ok.toString());
        JsonNode down = page.at("/destinations/1");
        assertEquals("faulty.throwing", down.get("name").asText());
        assertTrue(List.of("retrying", "pending").contains(down.get("state").asText()), down.toString());
        assertEquals("retrying", down.get("lane_state").asText());
        assertEquals("delivered", page.at("/call/destinations/faulty.collect").asText());
        assertEquals(409, page.at("/record/upstream_latency_ms").asLong());
        assertFalse(page.has("messages") || page.get("record").has("messages") || page.get("record").has("response")
                || page.get("record").has("headers"), "message content and headers come only when asked");

        long offset = page.at("/call/offset").asLong();
        JsonNode request = json(get("/ui/api/calls/" + r.id() + "/request?offset=" + offset));
        assertEquals("good morning good sir", request.at("/messages/0/content").asText());
        assertEquals("[REDACTED]", request.at("/headers/authorization").asText());
        JsonNode response = json(get("/ui/api/calls/" + r.id() + "/response"));
        assertEquals("Good morning! How can I assist you today?",
                response.at("/response/choices/0/message/content").asText());

        assertOpenAiError(get("/ui/api/calls/call-not-there"), 404, "not_found");
        assertTrue(json(get("/ui/api/calls/call-not-there")).at("/error/message").asText().contains("max_age"));
        assertEquals("offset", json(get("/ui/api/calls/" + r.id() + "?offset=-1")).at("/error/param").asText());
    }

    @Test
    void theLiveTailSendsNewCallsAsTheyAreRecorded() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url("/ui/api/calls/stream?user=tail-user")))
                .header("Authorization", "Bearer " + KEY).build();
        HttpResponse<InputStream> res = CLIENT.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, res.statusCode());
        assertTrue(res.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // closed by the test
            }
        });
        try {
            hub.delivery().sink().publish(SampleRecords.seedSuccess().user("someone-else").build());
            CallRecord r = SampleRecords.seedSuccess().user("tail-user").build();
            hub.delivery().sink().publish(r);
            List<String> event = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline && event.stream().noneMatch(l -> l.startsWith("data: "))) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && (line.startsWith("id: ") || line.startsWith("event: ") || line.startsWith("data: "))) {
                    event.add(line);
                }
            }
            assertEquals(3, event.size(), event.toString());
            assertTrue(event.get(0).matches("id: \\d+"), event.toString());
            assertEquals("event: call", event.get(1));
            JsonNode row = CallRecordJson.mapper().readTree(event.get(2).substring("data: ".length()));
            assertEquals(r.id(), row.get("id").asText(), "only the matching call, not someone-else's");
        } finally {
            res.body().close();
            reader.interrupt();
        }
    }

    private static JsonNode lane(String name) throws Exception {
        for (JsonNode d : json(get("/ui/api/destinations")).get("destinations")) {
            if (d.get("name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no lane " + name);
    }

    @Test
    void destinationsCarryTheirLastHour() throws Exception {
        publish(SampleRecords.seedSuccess().build());
        JsonNode l = lane("faulty.collect");
        assertEquals(60, l.get("timeline").size());
        JsonNode now = l.get("timeline").get(59);
        assertTrue(now.has("exported") && now.has("mean_export_ms") && now.has("max_export_ms"), now.toString());
        Waits.until(WAIT, "an export in the current minutes", () -> "", () -> {
            try {
                JsonNode t = lane("faulty.collect").get("timeline");
                return t.get(59).get("exports").asLong() + t.get(58).get("exports").asLong() > 0;
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(lane("faulty.throwing").get("last_error").get("message").asText().contains("export exploded"));
        assertEquals(200, get("/ui/api/plugins").statusCode());
        assertEquals(200, get("/ui/api/config").statusCode());
        assertFalse(get("/ui/api/config").body().contains(KEY), "the master key never shows");
    }

    @Test
    void pluginsAndConfigShowLoadErrorsAndTheLastReloadAndBothReload() throws Exception {
        Path plugins = work.resolve("plugins");
        Path broken = Files.write(plugins.resolve("broken-1.0.zip"), "not a zip".getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> reloaded = send("POST", "/ui/api/plugins/reload", "Authorization", "Bearer " + KEY);
            assertEquals(200, reloaded.statusCode(), reloaded.body());
            JsonNode failed = null;
            for (JsonNode p : json(get("/ui/api/plugins")).get("plugins")) {
                if (p.get("file").asText().contains("broken-1.0.zip")) {
                    failed = p;
                }
            }
            assertNotNull(failed, "the broken zip is listed");
            assertFalse(failed.get("error").isNull(), "with why it did not load: " + failed);
        } finally {
            Files.delete(broken);
            assertEquals(200, send("POST", "/ui/api/plugins/reload", "Authorization", "Bearer " + KEY).statusCode());
        }
        assertFalse(get("/ui/api/plugins").body().contains("broken-1.0.zip"), "gone after the next reload");

        // A refused edit: the reload answers why, the running config stays, the config view shows the result.
        String good = Files.readString(config);
        try {
            Files.writeString(config, good.replace("flush_interval: 10ms", "flush_interval: soon"));
            HttpResponse<String> refused = send("POST", "/ui/api/config/reload", "Authorization", "Bearer " + KEY);
            assertOpenAiError(refused, 400, "config_invalid");
            assertTrue(json(refused).get("error").get("message").asText().contains("config.yaml:"), refused.body());
            JsonNode last = json(get("/ui/api/config")).get("last_reload");
            assertFalse(last.get("applied").asBoolean(), last.toString());
            assertTrue(last.get("error").asText().contains("flush_interval"), last.toString());
        } finally {
            Files.writeString(config, good);
        }
        HttpResponse<String> applied = send("POST", "/ui/api/config/reload", "Authorization", "Bearer " + KEY);
        assertEquals(200, applied.statusCode(), applied.body());
        assertTrue(json(get("/ui/api/config")).get("last_reload").get("applied").asBoolean());
        assertFalse(get("/ui/api/config").body().contains(KEY), "the master key never shows");
    }

    @Test
    void withoutAMasterKeyTheConsoleIsOffAndSaysHowToTurnItOn() throws Exception {
        Path open = Files.createTempDirectory("console-off");
        Path cfg = Files.writeString(open.resolve("config.yaml"), """
                model_list:
                  - model_name: m
                    litellm_params:
                      model: mock/m
                """);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Hub off = Hub.start(new Hub.Options(cfg, Files.createDirectories(open.resolve("plugins")),
                Optional.of(open.resolve("data")), Optional.empty(), Map.of()), registry, new ProxyInfo("t", "0"))) {
            WebServer s = WebServer.builder().port(0).host("127.0.0.1")
                    .routing(r -> Main.routing(r, off.gateway(), registry, off)).build().start();
            try {
                HttpResponse<String> page = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                        + "/ui/calls")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(403, page.statusCode());
                assertTrue(page.body().contains("master_key"), page.body());
                HttpResponse<String> api = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                        + "/ui/api/calls")).build(), HttpResponse.BodyHandlers.ofString());
                assertOpenAiError(api, 403, "console_disabled");
                assertTrue(json(api).at("/error/message").asText().contains("general_settings.master_key"));
            } finally {
                s.stop();
            }
        }
    }

    @Test
    void thePagesAndScriptsNeverTurnTextIntoMarkup() {
        ConsoleAssets assets = new ConsoleAssets();
        for (String name : ConsoleAssets.ASSETS) {
            String text = new String(assets.asset(name).orElseThrow().bytes(), StandardCharsets.UTF_8);
            for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                    "new Function", "DOMParser", "https://")) {
                assertFalse(text.contains(sink), name + " uses " + sink);
            }
            // nothing from elsewhere; the SVG namespace is a name, not an address that is fetched
            assertFalse(text.replace("http://www.w3.org/2000/svg", "").contains("http://"), name + " names an address");
        }
        for (String name : ConsoleAssets.PAGES) {
            String html = new String(assets.page(name).bytes(), StandardCharsets.UTF_8);
            assertFalse(html.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), name + " has an inline script");
            assertFalse(html.matches("(?s).*\\s(style|on[a-z]+)=.*"), name + " has an inline style or handler");
            assertFalse(html.contains("<style"), name + " has a style element");
        }
    }
}
