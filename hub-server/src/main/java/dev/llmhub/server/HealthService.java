package dev.llmhub.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** LiteLLM's probes: {@code /health/liveliness} (and {@code /health/liveness}), {@code /health/readiness}. */
final class HealthService implements HttpService {
    private final String version;

    HealthService(String version) {
        this.version = version;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/liveliness", this::alive)
                .get("/liveness", this::alive)
                .get("/readiness", this::ready);
    }

    private void alive(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send("\"I'm alive!\"");
    }

    private void ready(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send("{\"status\":\"healthy\",\"version\":\"" + version + "\"}");
    }
}
