package dev.llmhub.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.llmhub.core.delivery.DeliveryRuntime;
import dev.llmhub.core.delivery.LaneStatus;
import dev.llmhub.core.plugin.PluginStatus;
import dev.llmhub.core.plugin.ReloadReport;
import dev.llmhub.core.record.CallRecordJson;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plugin admin API, registered by the server under {@code /admin} behind the master key:
 * <ul>
 *   <li>{@code GET /plugins} — every plugin zip (id, version, file, state, the names it offers, error)
 *       and every lane (name, kind, state, plugin serving it, records it receives, queue depth,
 *       counters, last error);</li>
 *   <li>{@code POST /plugins/reload} — re-reads the plugins directory now (the directory is also
 *       watched) and answers what changed, plus the same view as {@code GET /plugins}.</li>
 * </ul>
 * Answers are JSON; failures use the OpenAI error shape {@code {"error":{"message","type","param","code"}}}.
 */
public final class AdminService implements HttpService {
    private static final System.Logger LOG = System.getLogger(AdminService.class.getName());

    private final DeliveryRuntime runtime;

    /** @param runtime the running delivery side */
    public AdminService(DeliveryRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/plugins", this::list)
                .post("/plugins/reload", this::reload)
                .any("/plugins", (req, res) -> error(res, Status.METHOD_NOT_ALLOWED_405,
                        "use GET /admin/plugins", "invalid_request_error", "method_not_allowed"))
                .any("/plugins/reload", (req, res) -> error(res, Status.METHOD_NOT_ALLOWED_405,
                        "use POST /admin/plugins/reload", "invalid_request_error", "method_not_allowed"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        guarded(res, () -> view());
    }

    private void reload(ServerRequest req, ServerResponse res) {
        guarded(res, () -> {
            ReloadReport r = runtime.reload();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("loaded", r.loaded());
            out.put("replaced", r.replaced());
            out.put("unloaded", r.unloaded());
            out.put("failed", r.failed());
            out.putAll(view());
            return out;
        });
    }

    private interface Body {
        Map<String, Object> get();
    }

    private void guarded(ServerResponse res, Body body) {
        String json;
        try {
            json = CallRecordJson.mapper().writeValueAsString(body.get());
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.log(Level.WARNING, "admin request failed: {0}", e.getMessage());
            error(res, Status.INTERNAL_SERVER_ERROR_500, "plugin admin failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), "server_error", "admin_failed");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }

    private Map<String, Object> view() {
        Map<String, String> laneErrors = runtime.laneErrors();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plugins_dir", runtime.host().pluginsDir().toString());
        out.put("plugins", runtime.plugins().stream().map(AdminService::plugin).toList());
        out.put("lanes", runtime.lanes().stream().map(l -> lane(l, laneErrors.get(l.name()))).toList());
        return out;
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

    private static Map<String, Object> lane(LaneStatus l, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", l.name());
        m.put("kind", l.kind());
        m.put("state", l.state());
        m.put("plugin", l.plugin().orElse(null));
        m.put("plugin_version", l.pluginVersion().orElse(null));
        m.put("records", l.records());
        m.put("queue_depth", l.queueDepth());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("exported", l.counters().exported());
        c.put("retried", l.counters().retried());
        c.put("failed", l.counters().failed());
        c.put("dropped", l.counters().dropped());
        m.put("counters", c);
        m.put("error", error);
        return m;
    }

    private static void error(ServerResponse res, Status status, String message, String type, String code) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", message);
        e.put("type", type);
        e.put("param", null);
        e.put("code", code);
        String json;
        try {
            json = CallRecordJson.mapper().writeValueAsString(Map.of("error", e));
        } catch (JsonProcessingException ex) {
            json = "{\"error\":{\"message\":\"plugin admin failed\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
        }
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }
}
