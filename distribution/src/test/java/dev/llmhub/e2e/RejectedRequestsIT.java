package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests the proxy refuses, through {@code bin/llmhub}: a wrong key, a body that is not JSON, one
 * over {@code max_request_size_mb} and an unknown route each land as a record in a {@code file}
 * destination named only in {@code failure_callback}, under the id their answer's
 * {@code x-llmhub-call-id} carries — and no secret the client sent is in the file or the output. A
 * flood of refused requests beside good ones leaves every good record in the file, and every refusal
 * is either a record or counted as skipped.
 */
class RejectedRequestsIT {
    private static final String MASTER_KEY = "sk-zqMASTERxw-1";
    private static final String WRONG_KEY = "sk-zqWRONGxw-2";
    private static final String BODY_SECRET = "sk-zqBODYxw-3";

    @Test
    void aWrongKeyABrokenBodyA413AndA404EachLandAtTheFailureDestination(@TempDir Path work) throws Exception {
        Path jsonl = work.resolve("failures.jsonl");
        try (ProxyProcess proxy = ProxyProcess.start(work, config("failure_callback", jsonl, "max_request_size_mb: 0.01"),
                null, Map.of())) {
            Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
            answers.put("wrong key", proxy.post("/v1/chat/completions", "{\"model\": \"m\", \"messages\": []}",
                    "Authorization", "Bearer " + WRONG_KEY, "User-Agent", "rejected-it"));
            answers.put("broken body", proxy.post("/v1/chat/completions", "{\"model\": \"m\", \"api_key\": \"" + BODY_SECRET
                    + "\", \"messages\": [", "Authorization", "Bearer " + MASTER_KEY, "User-Agent", "rejected-it"));
            answers.put("too large", proxy.post("/v1/chat/completions", "{\"model\": \"m\", \"api_key\": \"" + BODY_SECRET
                    + "\", \"messages\": [{\"role\": \"user\", \"content\": \"" + "x".repeat(20_000) + "\"}]}",
                    "Authorization", "Bearer " + MASTER_KEY, "User-Agent", "rejected-it"));
            answers.put("unknown route", proxy.get("/v1/no-such-route", "Authorization", "Bearer " + MASTER_KEY,
                    "User-Agent", "rejected-it"));
            HttpResponse<String> good = proxy.post("/v1/chat/completions",
                    "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                    "Authorization", "Bearer " + MASTER_KEY);
            assertEquals(200, good.statusCode(), good.body());

            proxy.await("four records in " + jsonl, Duration.ofSeconds(30), () -> lines(jsonl).size() >= 4);
            int status = proxy.stop(); // SIGTERM drains the lane: a record written late would be in the file now
            assertTrue(status == 0 || status == 143, "the proxy did not stop on SIGTERM: " + status);
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            for (String line : lines(jsonl)) {
                JsonNode r = JSON.readTree(line);
                byId.put(r.get("id").asText(), r);
            }
            assertEquals(4, byId.size(), "the refusals only: the success goes to no failure callback\n" + byId.keySet());

            JsonNode wrongKey = recordOf(byId, answers.get("wrong key"), 401, "chat", "/v1/chat/completions");
            assertEquals("authentication_error", wrongKey.at("/error/type").asText());
            assertEquals(sha256(WRONG_KEY), wrongKey.at("/api_key/hash").asText());
            assertEquals("[REDACTED]", wrongKey.at("/headers/authorization").asText());

            JsonNode broken = recordOf(byId, answers.get("broken body"), 400, "chat", "/v1/chat/completions");
            assertEquals("invalid_request_error", broken.at("/error/type").asText());
            assertTrue(broken.at("/error/message").asText().contains("not valid JSON"), broken.toString());
            assertEquals("master_key", broken.at("/api_key/alias").asText());

            JsonNode tooLarge = recordOf(byId, answers.get("too large"), 413, "chat", "/v1/chat/completions");
            assertEquals("request_too_large", tooLarge.at("/error/provider_code").asText());

            JsonNode unknown = recordOf(byId, answers.get("unknown route"), 404, "other", "/v1/no-such-route");
            assertEquals("not_found", unknown.at("/error/provider_code").asText());

            String file = String.join("\n", lines(jsonl));
            for (String secret : List.of("zqMASTERxw", "zqWRONGxw", "zqBODYxw")) {
                assertFalse(file.contains(secret), secret + " reached the destination:\n" + file);
                assertFalse(proxy.output().contains(secret), secret + " reached the output:\n" + proxy.output());
            }
        }
    }

    @Test
    void aFloodOfRefusalsCannotCrowdOutGoodRecordsAndEveryRefusalIsRecordedOrCounted(@TempDir Path work) throws Exception {
        int floodSize = 1500;
        int goodCalls = 60;
        Path jsonl = work.resolve("calls.jsonl");
        try (ProxyProcess proxy = ProxyProcess.start(work, config("callbacks", jsonl, "rejected_requests: {max_per_second: 5}"),
                null, Map.of());
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI chat = URI.create(proxy.url() + "/v1/chat/completions");
            HttpRequest refused = HttpRequest.newBuilder(chat).header("Authorization", "Bearer " + WRONG_KEY)
                    .header("Content-Type", "application/json").header("User-Agent", "flood")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"m\", \"messages\": []}")).build();
            Set<String> goodIds = new HashSet<>();
            int wave = floodSize / goodCalls;
            for (int w = 0; w < goodCalls; w++) {
                // Waves of refusals with one good call among them, so the good ones meet the flood in flight.
                List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
                for (int i = 0; i < wave; i++) {
                    flood.add(client.sendAsync(refused, HttpResponse.BodyHandlers.ofString()));
                }
                HttpResponse<String> ok = client.send(HttpRequest.newBuilder(chat).header("Authorization", "Bearer " + MASTER_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"good " + w + "\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ok.statusCode(), ok.body());
                goodIds.add(ok.headers().firstValue("x-llmhub-call-id").orElseThrow());
                for (CompletableFuture<HttpResponse<String>> f : flood) {
                    assertEquals(401, f.get().statusCode(), f.get().body());
                }
            }
            assertEquals(goodCalls, goodIds.size());

            PrometheusScrape metrics = new PrometheusScrape(proxy.get("/metrics", "Authorization", "Bearer " + MASTER_KEY).body());
            double skipped = metrics.value("llmhub_rejected_records_skipped_total", "status", "401");
            int status = proxy.stop(); // SIGTERM drains the lane: every record taken is in the file now
            assertTrue(status == 0 || status == 143, "the proxy did not stop on SIGTERM: " + status);

            Set<String> successIds = new HashSet<>();
            int refusals = 0;
            for (String line : lines(jsonl)) {
                JsonNode r = JSON.readTree(line);
                if (r.get("status").asText().equals("success")) {
                    successIds.add(r.get("id").asText());
                } else {
                    assertEquals(401, r.at("/error/http_status").asInt(), r.toString());
                    refusals++;
                }
            }
            assertEquals(goodIds, successIds, "every good call's record is in the file");
            assertTrue(skipped > 0, "max_per_second: 5 left no refusal out of " + floodSize + "\n" + metrics);
            assertEquals(floodSize, refusals + (long) skipped, "each refusal is a record or counted as skipped");
            assertEquals(0, Math.max(0, metrics.value("llmhub_destination_records_total", "destination", "file",
                    "outcome", "dropped")), "the file lane dropped records");
        }
    }

    /**
     * @param callbacks which callback list names the file destination
     * @param general   one more {@code general_settings} line
     * @return a config with a mock model, the master key and a file destination writing {@code jsonl}
     */
    private static String config(String callbacks, Path jsonl, String general) {
        return """
                model_list:
                  - model_name: m
                    litellm_params: {model: mock/m}
                litellm_settings:
                  %s: ["file"]
                  callback_settings:
                    file: {path: '%s', flush_interval: 50ms}
                general_settings:
                  master_key: %s
                  %s
                """.formatted(callbacks, jsonl, MASTER_KEY, general);
    }

    /** @return the record under the answer's call id, checked for what every refusal's record carries */
    private static JsonNode recordOf(Map<String, JsonNode> byId, HttpResponse<String> answer, int status, String callType,
                                     String path) {
        assertEquals(status, answer.statusCode(), answer.body());
        String id = answer.headers().firstValue("x-llmhub-call-id").orElseThrow();
        JsonNode r = byId.get(id);
        assertTrue(r != null, "no record with the answer's call id " + id + " among " + byId.keySet());
        assertEquals("failure", r.get("status").asText());
        assertEquals(status, r.at("/error/http_status").asInt());
        assertEquals(callType, r.get("call_type").asText());
        assertEquals(path, r.get("request_path").asText());
        assertEquals("127.0.0.1", r.get("client_ip").asText());
        assertEquals("rejected-it", r.get("user_agent").asText());
        assertEquals(0, r.get("attempts").size());
        assertTrue(r.get("duration_ms").asLong() >= 0 && !r.get("start_time").isNull(), r.toString());
        assertEquals(0, r.get("messages").size(), "a refused body is not in the record");
        return r;
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
