import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.time.Duration;

/**
 * The floor under bench/overhead.sh's "none" row: the fixed stack (Helidon SE 4 WebServer and its HTTP/1.1
 * WebClient) forwarding the chat call and nothing else. What this serves on a box is what no work in
 * llmhub's own code can beat there. Run by bench/floor.sh with the distribution's class path:
 *   java -cp LIB FloorProxy PORT UPSTREAM_PORT MODE
 * MODE: "bytes" forwards the bodies as they are; "json" also parses both with Jackson and writes them
 * again (what any proxy that reads the model and the usage must do at least).
 */
public final class FloorProxy {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        String upstream = "http://127.0.0.1:" + args[1];
        boolean json = args.length > 2 && args[2].equals("json");
        ObjectMapper mapper = new ObjectMapper();
        Http1Client client = WebClient.builder().baseUri(upstream).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(false).build().client(Http1Client.PROTOCOL);
        // -Dfloor.nio=false: blocking sockets; -Dfloor.packetLog=false: no per-packet log listeners;
        // -Dfloor.validate=false: no header/path validation (knobs to find what the stack's settings cost)
        WebServer.builder().host("127.0.0.1").port(port)
                .useNio(Boolean.parseBoolean(System.getProperty("floor.nio", "true")))
                .addProtocol(Http1Config.builder()
                        .sendLog(Boolean.parseBoolean(System.getProperty("floor.packetLog", "true")))
                        .receiveLog(Boolean.parseBoolean(System.getProperty("floor.packetLog", "true")))
                        .validateRequestHeaders(Boolean.parseBoolean(System.getProperty("floor.validate", "true")))
                        .validatePath(Boolean.parseBoolean(System.getProperty("floor.validate", "true")))
                        .build())
                .routing(r -> r
                .get("/health/readiness", (req, res) -> res.send("ok"))
                .post("/v1/chat/completions", (req, res) -> {
                    byte[] in;
                    try (InputStream body = req.content().inputStream()) {
                        in = body.readAllBytes();
                    }
                    if (json) {
                        JsonNode tree = mapper.readTree(in);
                        in = mapper.writeValueAsBytes(tree);
                    }
                    byte[] out;
                    try (HttpClientResponse up = client.post("/v1/chat/completions")
                            .header(HeaderNames.CONTENT_TYPE, "application/json")
                            .header(HeaderNames.AUTHORIZATION, "Bearer sk-upstream")
                            .submit(in)) {
                        out = up.entity().as(byte[].class);
                    }
                    if (json) {
                        JsonNode tree = mapper.readTree(out);
                        out = mapper.writeValueAsBytes(tree);
                    }
                    res.header(HeaderNames.CONTENT_TYPE, "application/json").send(out);
                })).build().start();
    }
}
