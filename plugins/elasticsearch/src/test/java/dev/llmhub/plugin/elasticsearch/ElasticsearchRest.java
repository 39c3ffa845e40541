package dev.llmhub.plugin.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain REST calls to the test server, independent of the client under test, to look at what landed. */
public final class ElasticsearchRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String url;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param url the server's address */
    public ElasticsearchRest(String url) {
        this(url, null);
    }

    /** @param url the server's address @param authorization an {@code Authorization} header value, or null */
    public ElasticsearchRest(String url, String authorization) {
        this.url = url;
        this.authorization = authorization;
    }

    /** @param path e.g. {@code /llmhub-calls/_refresh} @return the JSON answer (any status) */
    public JsonNode post(String path, String body) {
        return send("POST", path, body);
    }

    /** @param path e.g. {@code /llmhub-calls/_mapping} @return the JSON answer (any status) */
    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    /** @param index a data stream @return its document count, after a refresh */
    public long count(String index) {
        post("/" + index + "/_refresh", null);
        return get("/" + index + "/_count").path("count").asLong(-1);
    }

    /** @param index a data stream @param query a search body @return the answer, after a refresh */
    public JsonNode search(String index, String query) {
        post("/" + index + "/_refresh", null);
        return post("/" + index + "/_search", query);
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
