package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static dev.llmhub.e2e.Texts.count;
import static dev.llmhub.e2e.Texts.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's redaction check from the outside: one proxy with the printing callback handler and the
 * file destination, routed to a real upstream on loopback whose key comes from the environment.
 * Calls (plain, streamed, refused by the upstream, refused by the proxy, malformed, {@code no-log})
 * carry a distinctive secret in every place a client can put one; then everything the proxy produced
 * — its whole output, the JSON-lines file, {@code /metrics}, {@code /admin/plugins}, every answer —
 * is searched for every secret: zero hits. The upstream must have received its own key, so the sweep
 * is not vacuous.
 */
class SecretSweepIT {
    // The custom header's name looks like no credential (the proxy redacts *token*, *secret*… by
    // itself), so only general_settings.redact_headers protects it.
    // Each secret carries a token found nowhere else; the sweep searches for the token, so a partial
    // echo (a prefix cut off, a "Bearer " dropped) is caught too. Not all of them look like keys:
    // redaction must not depend on a secret's shape.
    private static final String MASTER_KEY = "sk-zqMASTERxw-5150";
    private static final String API_KEY_HEADER = "zqAPIKEYHDRxw";
    private static final String X_API_KEY = "key-zqXAPIKEYxw";
    private static final String COOKIE = "zqCOOKIExw";
    private static final String CUSTOM_HEADER = "zqTENANTxw";
    private static final String BODY_KEY = "sk-zqBODYKEYxw-77";
    private static final String METADATA_SECRET = "zqMETAPWDxw";
    private static final String WRONG_KEY = "sk-zqWRONGKEYxw";
    private static final String UPSTREAM_KEY = "upstream-zqUPSTREAMxw-9";
    private static final Map<String, String> TOKENS = Map.of(
            "master key", "zqMASTERxw", "api-key header", API_KEY_HEADER, "x-api-key header", "zqXAPIKEYxw",
            "cookie", COOKIE, "x-tenant-ref header", CUSTOM_HEADER, "body api_key", "zqBODYKEYxw",
            "metadata password", METADATA_SECRET, "wrong key", "zqWRONGKEYxw", "upstream key", "zqUPSTREAMxw");

    @Test
    void noSecretReachesAnyOutputAndNoLogCallsLeaveNoRecord(@TempDir Path work) throws IOException {
        Path jsonl = work.resolve("calls.jsonl");
        List<String> answers = new ArrayList<>();
        try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream()) {
            String config = """
                    model_list:
                      - model_name: good
                        litellm_params:
                          model: openai/gpt-4o-mini
                          api_base: %1$s
                          api_key: os.environ/UPSTREAM_KEY
                          max_retries: 0
                      - model_name: rejected
                        litellm_params:
                          model: openai/%2$s
                          api_base: %1$s
                          api_key: os.environ/UPSTREAM_KEY
                          max_retries: 0
                    litellm_settings:
                      callbacks: ["custom_callbacks.proxy_handler_instance", "file"]
                      callback_settings:
                        file:
                          path: '%3$s'
                          flush_interval: 50ms
                    general_settings:
                      master_key: %4$s
                      redact_headers: ["x-tenant-ref"]
                    """.formatted(upstream.apiBase(), FakeOpenAiUpstream.REJECTING_MODEL, jsonl, MASTER_KEY);
            try (ProxyProcess proxy = ProxyProcess.start(work, config, null, Map.of("UPSTREAM_KEY", UPSTREAM_KEY))) {
                // no-log first: had it produced a record, it would be written before the others.
                HttpResponse<String> noLog = call(proxy, answers, MASTER_KEY, body("good", "sweep-nolog-marker", ", \"no-log\": true"));
                assertEquals(200, noLog.statusCode(), noLog.body());
                HttpResponse<String> plain = call(proxy, answers, MASTER_KEY, body("good", "sweep-plain", ""));
                assertEquals(200, plain.statusCode(), plain.body());
                assertTrue(plain.body().contains("Hello from upstream"), plain.body());
                HttpResponse<String> stream = call(proxy, answers, MASTER_KEY, body("good", "sweep-stream",
                        ", \"stream\": true, \"stream_options\": {\"include_usage\": true}"));
                assertEquals(200, stream.statusCode(), stream.body());
                assertTrue(stream.body().contains(" upstream") && stream.body().contains("[DONE]"), stream.body());
                HttpResponse<String> refused = call(proxy, answers, MASTER_KEY, body("rejected", "sweep-fail", ""));
                assertEquals(401, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("\"error\""), refused.body());
                HttpResponse<String> refusedStream = call(proxy, answers, MASTER_KEY, body("rejected", "sweep-fail-stream",
                        ", \"stream\": true"));
                assertTrue(refusedStream.body().contains("error"), refusedStream.statusCode() + " " + refusedStream.body());
                HttpResponse<String> wrongKey = call(proxy, answers, WRONG_KEY, body("good", "sweep-wrong-key", ""));
                assertEquals(401, wrongKey.statusCode(), wrongKey.body());
                HttpResponse<String> malformed = call(proxy, answers, MASTER_KEY,
                        "{\"model\": \"good\", \"api_key\": \"" + BODY_KEY + "\", \"messages\": [");
                assertEquals(400, malformed.statusCode(), malformed.body());
                HttpResponse<String> unknownModel = call(proxy, answers, MASTER_KEY, body("no-such-model", "sweep-unknown", ""));
                assertTrue(unknownModel.statusCode() >= 400 && unknownModel.statusCode() < 500, unknownModel.body());

                proxy.await("the seven records in the file and both printed successes", Duration.ofSeconds(30), () ->
                        List.of("sweep-plain", "sweep-stream", "sweep-fail\"", "sweep-fail-stream", "sweep-unknown").stream()
                                .allMatch(m -> read(jsonl).contains(m)) && read(jsonl).lines().count() >= 7
                        && count(proxy.output(), "Proxy Metadata:") >= 2 && count(proxy.output(), "On Failure") >= 2);
                answers.add(get(proxy, "/metrics", false));
                answers.add(get(proxy, "/admin/plugins", true));
                // SIGTERM: lanes drain, so a record made late (say, by the no-log call) would be in the file now.
                int status = proxy.stop();
                assertTrue(status == 0 || status == 143, "the proxy did not stop on SIGTERM: " + status);

                String records = read(jsonl);
                String output = proxy.output();
                Map<String, String> everything = new LinkedHashMap<>();
                everything.put("the proxy's output", output);
                everything.put("the JSON-lines file", records);
                for (int i = 0; i < answers.size(); i++) {
                    everything.put("answer " + i, answers.get(i));
                }
                // and any other file the proxy left in its working folder (the config is the user's own)
                try (Stream<Path> files = Files.walk(work)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        if (!f.getFileName().toString().equals("config.yaml")) {
                            everything.putIfAbsent(work.relativize(f).toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
                        }
                    }
                }
                List<String> hits = new ArrayList<>();
                everything.forEach((where, text) -> TOKENS.forEach((what, token) -> {
                    int at = text.indexOf(token);
                    if (at >= 0) {
                        hits.add(what + " in " + where + ": …" + text.substring(Math.max(0, at - 120),
                                Math.min(text.length(), at + 60)) + "…");
                    }
                }));
                assertEquals(List.of(), hits, "secrets leaked");

                // The sweep saw the real thing: headers were recorded (redacted), the handler printed them.
                JsonNode plainRecord = record(records, "sweep-plain");
                JsonNode headers = plainRecord.path("headers");
                for (String h : List.of("authorization", "api-key", "x-api-key", "cookie", "x-tenant-ref")) {
                    assertEquals("[REDACTED]", headers.path(h).asText(), h + " in " + headers);
                }
                assertEquals("[REDACTED]", plainRecord.path("metadata").path("db_password").asText(), plainRecord.toString());
                assertTrue(output.contains("'x-tenant-ref': '[REDACTED]'"), output);
                assertTrue(output.contains("'cookie': '[REDACTED]'"), output);
                // no-log: no record, no event, and its text is nowhere.
                assertFalse(records.contains("sweep-nolog-marker"), records);
                assertFalse(output.contains("sweep-nolog-marker"), output);
                // plain, stream, the two refused by the upstream, the unknown model (a bad request after routing),
                // and the two the proxy refused itself: the wrong key and the malformed body
                assertEquals(7, records.lines().count(), records);
                assertEquals(1, records.lines().filter(l -> l.contains("\"http_status\":401")
                        && l.contains("\"attempts\":[]")).count(), "the wrong key's record\n" + records);
            }

            // The upstream got its key on every call, and none of the client's secrets.
            List<FakeOpenAiUpstream.Received> got = upstream.received();
            assertEquals(5, got.size(), "calls the upstream saw (no-log, plain, stream, two refused): " + got);
            for (FakeOpenAiUpstream.Received r : got) {
                assertEquals(List.of("Bearer " + UPSTREAM_KEY), r.headers().get("authorization"), r.toString());
                String seen = r.headers() + r.body();
                TOKENS.forEach((what, token) -> assertTrue(what.equals("upstream key") || !seen.contains(token),
                        "the proxy forwarded the client's " + what + " upstream: " + seen));
            }
        }
    }

    private static String body(String model, String content, String extra) {
        return """
                {"model": "%s", "messages": [{"role": "user", "content": "%s"}], "user": "sweeper",
                 "api_key": "%s", "metadata": {"session_id": "s-1", "db_password": "%s"}%s}"""
                .formatted(model, content, BODY_KEY, METADATA_SECRET, extra);
    }

    /** One call carrying a secret in every header a client may use for one. */
    private static HttpResponse<String> call(ProxyProcess proxy, List<String> answers, String key, String body) {
        HttpResponse<String> r = proxy.post("/v1/chat/completions", body,
                "Content-Type", "application/json",
                "Authorization", "Bearer " + key,
                "api-key", API_KEY_HEADER,
                "x-api-key", X_API_KEY,
                "Cookie", "session=" + COOKIE + "; theme=dark",
                "x-tenant-ref", CUSTOM_HEADER);
        answers.add(r.statusCode() + " " + r.headers().map() + " " + r.body());
        return r;
    }

    private static String get(ProxyProcess proxy, String path, boolean admin) {
        HttpResponse<String> r = admin ? proxy.get(path, "Authorization", "Bearer " + MASTER_KEY) : proxy.get(path);
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().map() + " " + r.body();
    }

    private static JsonNode record(String jsonl, String marker) throws IOException {
        for (String line : jsonl.split("\n")) {
            if (line.contains("\"" + marker + "\"")) {
                return JSON.readTree(line);
            }
        }
        throw new AssertionError("no record with " + marker + " in:\n" + jsonl);
    }
}
