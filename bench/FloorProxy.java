import io.helidon.http.HeaderNames;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

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
        WebClient webClient = WebClient.builder().baseUri(upstream).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(false).build();
        Http1Client client = webClient.client(Http1Client.PROTOCOL);
        // -Dfloor.pool=own: the upstream connections kept in a pool of this program's, given to each request;
        // the WebClient's own cache starts a virtual thread per returned connection to watch it while idle.
        boolean ownPool = System.getProperty("floor.pool", "client").equals("own");
        ConcurrentLinkedDeque<ClientConnection> pool = new ConcurrentLinkedDeque<>();
        ConnectionKey key = ConnectionKey.create("http", "127.0.0.1", Integer.parseInt(args[1]),
                Tls.builder().enabled(false).build(), webClient.prototype().dnsResolver(),
                webClient.prototype().dnsAddressLookup(), Proxy.noProxy());
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
                    Http1ClientRequest call = client.post("/v1/chat/completions")
                            .header(HeaderNames.CONTENT_TYPE, "application/json")
                            .header(HeaderNames.AUTHORIZATION, "Bearer sk-upstream");
                    if (ownPool) {
                        ClientConnection c = pool.pollFirst();
                        call.connection(c != null ? c : TcpClientConnection.create(webClient, key, List.of(),
                                conn -> pool.offerFirst(conn), conn -> { }).connect());
                    }
                    try (HttpClientResponse up = call.submit(in)) {
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
