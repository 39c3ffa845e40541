package dev.llmhub.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.llmhub.core.delivery.LaneStatus;
import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.core.hub.ConfigView;
import dev.llmhub.core.hub.Hub;
import dev.llmhub.core.hub.ReloadResult;
import dev.llmhub.core.journal.JournalStats;
import dev.llmhub.core.plugin.PluginStatus;
import dev.llmhub.core.plugin.ReloadReport;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.server.ErrorResponses;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API, registered by the server under {@code /admin} behind the master key:
 * <ul>
 *   <li>{@code GET /plugins} — every plugin zip and every lane; {@code POST /plugins/reload} re-reads
 *       the plugins directory now (it is also watched);</li>
 *   <li>{@code GET /destinations} — every lane in detail (state, cursor, lag, counters, last error)
 *       and the journal; {@code POST /destinations/{name}/pause}, {@code /resume},
 *       {@code /replay?from=<ISO-8601 time>} (moves the lane's cursor back);</li>
 *   <li>{@code GET /config} — the running config with every secret redacted, and the last reload;
 *       {@code POST /config/reload} — reads the config file again (as SIGHUP and the file watcher do).</li>
 * </ul>
 * Answers are JSON; failures use the OpenAI error shape {@code {"error":{"message","type","param","code"}}}.
 */
public final class AdminService implements HttpService {
    private static final System.Logger LOG = System.getLogger(AdminService.class.getName());

    private final Hub hub;

    /** @param hub the running proxy */
    public AdminService(Hub hub) {
        this.hub = hub;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/plugins", this::plugins)
                .post("/plugins/reload", this::reloadPlugins)
                .get("/destinations", this::destinations)
                .post("/destinations/{name}/pause", (req, res) -> pause(req, res, true))
                .post("/destinations/{name}/resume", (req, res) -> pause(req, res, false))
                .post("/destinations/{name}/replay", this::replay)
                .get("/config", this::config)
                .post("/config/reload", this::reloadConfig)
                .any("/plugins", (req, res) -> notAllowed(res, "GET /admin/plugins"))
                .any("/plugins/reload", (req, res) -> notAllowed(res, "POST /admin/plugins/reload"))
                .any("/destinations", (req, res) -> notAllowed(res, "GET /admin/destinations"))
                .any("/config", (req, res) -> notAllowed(res, "GET /admin/config"))
                .any("/config/reload", (req, res) -> notAllowed(res, "POST /admin/config/reload"));
    }

    // The handlers are public: the console (/ui/api) offers the same actions behind its own login.

    /** {@code GET plugins}: every plugin zip and every lane. */
    public void plugins(ServerRequest req, ServerResponse res) {
        guarded(res, this::pluginsView);
    }

    /** {@code GET destinations}: the journal and every lane. */
    public void destinations(ServerRequest req, ServerResponse res) {
        guarded(res, this::destinationsView);
    }

    /** {@code GET config}: the running config, redacted, and the last reload. */
    public void config(ServerRequest req, ServerResponse res) {
        guarded(res, this::configView);
    }

    /** {@code POST plugins/reload}. */
    public void reloadPlugins(ServerRequest req, ServerResponse res) {
        guarded(res, () -> {
            ReloadReport r = hub.plugins().reload();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("loaded", r.loaded());
            out.put("replaced", r.replaced());
            out.put("unloaded", r.unloaded());
            out.put("failed", r.failed());
            out.putAll(pluginsView());
            return out;
        });
    }

    /** {@code POST config/reload}; 400 with the reason when the file is refused. */
    public void reloadConfig(ServerRequest req, ServerResponse res) {
        ReloadResult r = hub.reload("admin API");
        if (!r.applied()) {
            error(res, Status.BAD_REQUEST_400, "config reload refused, the running config stays: " + r.error().orElse(""),
                    "invalid_request_error", "config_invalid");
            return;
        }
        guarded(res, () -> reloadJson(r));
    }

    /** {@code POST destinations/{name}/pause} or {@code /resume}. */
    public void pause(ServerRequest req, ServerResponse res, boolean on) {
        String name = req.path().pathParameters().get("name");
        if (!hub.delivery().pause(name, on)) {
            noSuchLane(res, name);
            return;
        }
        guarded(res, () -> Map.of("destination", name, "paused", on));
    }

    /** {@code POST destinations/{name}/replay?from=<ISO-8601 time>}. */
    public void replay(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        Optional<String> from = req.query().first("from").asOptional();
        if (from.isEmpty()) {
            error(res, Status.BAD_REQUEST_400, "replay needs ?from=<ISO-8601 time>, e.g. ?from=2026-11-30T10:00:00Z",
                    "invalid_request_error", "missing_parameter");
            return;
        }
        Instant t;
        try {
            t = Instant.parse(from.get());
        } catch (DateTimeParseException e) {
            error(res, Status.BAD_REQUEST_400, "from must be an ISO-8601 time such as 2026-11-30T10:00:00Z",
                    "invalid_request_error", "invalid_parameter");
            return;
        }
        Optional<Long> offset;
        try {
            offset = hub.delivery().replay(name, t);
        } catch (IllegalStateException e) {
            // the journal could not be asked (a Kafka journal whose brokers do not answer)
            error(res, Status.SERVICE_UNAVAILABLE_503, "replay failed: " + e.getMessage(), "server_error", "journal_unavailable");
            return;
        }
        if (offset.isEmpty()) {
            noSuchLane(res, name);
            return;
        }
        guarded(res, () -> Map.of("destination", name, "from", t.toString(), "offset", offset.get()));
    }

    private void noSuchLane(ServerResponse res, String name) {
        error(res, Status.NOT_FOUND_404, "no destination named '" + name + "' is enabled; enabled: "
                + hub.delivery().names(), "invalid_request_error", "not_found");
    }

    /** An answer's body, built when it is sent. */
    public interface Body {
        Map<String, Object> get();
    }

    /** Sends {@code body} as JSON, or an OpenAI-shaped 500 naming what failed. */
    public static void guarded(ServerResponse res, Body body) {
        String json;
        try {
            json = CallRecordJson.mapper().writeValueAsString(body.get());
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.log(Level.WARNING, "admin request failed: {0}", e.getMessage());
            error(res, Status.INTERNAL_SERVER_ERROR_500, "admin request failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), "server_error", "admin_failed");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }

    private Map<String, Object> pluginsView() {
        Map<String, String> laneErrors = hub.delivery().laneErrors();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plugins_dir", hub.plugins().pluginsDir().toString());
        out.put("plugins", hub.plugins().plugins().stream().map(AdminService::plugin).toList());
        out.put("lanes", hub.delivery().lanes().stream().map(l -> lane(l, laneErrors.get(l.name()))).toList());
        return out;
    }

    /** @return the journal and every lane, as {@code GET destinations} answers */
    public Map<String, Object> destinationsView() {
        Map<String, String> laneErrors = hub.delivery().laneErrors();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("journal", journal(hub.journal().stats()));
        out.put("data_dir", hub.dataDir().path().toString());
        out.put("destinations", hub.delivery().lanes().stream().map(l -> lane(l, laneErrors.get(l.name()))).toList());
        return out;
    }

    private Map<String, Object> configView() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config", ConfigView.of(hub.config()));
        out.put("last_reload", reloadJson(hub.lastReload()));
        return out;
    }

    private static Map<String, Object> reloadJson(ReloadResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", r.time().toString());
        m.put("trigger", r.trigger());
        m.put("applied", r.applied());
        m.put("error", r.error().orElse(null));
        m.put("changes", r.changes());
        m.put("warnings", r.warnings());
        return m;
    }

    private static Map<String, Object> journal(JournalStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", s.kind());
        m.put("durability", s.durability());
        m.put("size_bytes", s.sizeBytes());
        m.put("segments", s.segments());
        m.put("oldest_offset", s.oldestOffset());
        m.put("head_offset", s.headOffset());
        m.put("oldest_time", s.oldestTimestamp().map(Instant::toString).orElse(null));
        m.put("appended", s.appended());
        m.put("write_failures", s.writeFailures());
        return m;
    }

    private static Map<String, Object> plugin(PluginStatus p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("version", p.version());
        m.put("file", p.file());
        m.put("state", p.state());
        m.put("names", p.names());
        m.put("error", p.error().orElse(null));
        return m;
    }

    private static Map<String, Object> lane(LaneStatus l, String bindError) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", l.name());
        m.put("kind", l.kind().wireName());
        m.put("state", l.state());
        m.put("plugin", l.plugin().orElse(null));
        m.put("plugin_version", l.pluginVersion().orElse(null));
        m.put("records", l.records());
        m.put("cursor", Map.of("position", l.position(), "committed", l.committed()));
        Map<String, Object> lag = new LinkedHashMap<>();
        lag.put("records", l.lag().entries());
        lag.put("bytes", l.lag().bytes());
        lag.put("oldest_age_seconds", l.lagSeconds());
        m.put("lag", lag);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("exported", l.counters().exported());
        c.put("retried", l.counters().retried());
        c.put("failed", l.counters().failed());
        c.put("dropped", l.counters().dropped());
        m.put("counters", c);
        m.put("last_error", l.lastError().map(e -> Map.of("time", e.time().toString(), "message", e.message()))
                .orElse(null));
        m.put("error", bindError);
        return m;
    }

    private static void notAllowed(ServerResponse res, String use) {
        error(res, Status.METHOD_NOT_ALLOWED_405, "use " + use, "invalid_request_error", "method_not_allowed");
    }

    private static void error(ServerResponse res, Status status, String message, String type, String code) {
        ErrorResponses.send(res, new ApiError(status.code(), type, message, Optional.empty(), Optional.of(code),
                Optional.empty()));
    }
}
