package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.stream.StreamSupport;

/** The proxy's {@code GET /admin/plugins} view, as the hot-swap tests read it: its started plugins and its lanes. */
final class PluginsView {
    private PluginsView() {
    }

    /** @return the view now, asked with the master key; fails the test unless it is a 200 with JSON */
    static JsonNode fetch(ProxyProcess proxy, String masterKey) {
        HttpResponse<String> r = proxy.get("/admin/plugins", "Authorization", "Bearer " + masterKey);
        assertEquals(200, r.statusCode(), r.body());
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("GET /admin/plugins is not JSON: " + r.body(), e);
        }
    }

    /** @return the version of the started plugin with that id, or null when none is started */
    static String startedVersion(JsonNode view, String id) {
        return StreamSupport.stream(view.path("plugins").spliterator(), false)
                .filter(p -> id.equals(p.path("id").asText()) && "started".equals(p.path("state").asText()))
                .map(p -> p.path("version").asText()).findFirst().orElse(null);
    }

    /** @return the lane of that name; fails the test when there is none */
    static JsonNode lane(JsonNode view, String name) {
        return StreamSupport.stream(view.path("lanes").spliterator(), false)
                .filter(l -> name.equals(l.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no lane '" + name + "' in " + view));
    }
}
