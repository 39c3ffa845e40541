package dev.llmhub.server;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The training run of the distribution's AOT cache ({@code lib/llmhub.aot}, JDK 24+): the build
 * ({@code distribution/src/main/aot/train.sh}) runs this class in a JVM started with
 * {@code -XX:AOTMode=record}, and what that JVM loads, links and
 * profiles while the proxy serves typical traffic is what a proxy started from the cache has from its
 * first request on. It starts the proxy on loopback with the file destination and a model behind an
 * HTTP hop (the proxy calls itself, so the upstream client runs too), sends chat (plain and streamed,
 * through the hop and to the mock), Messages, Responses, completions and embeddings calls, some bad
 * ones, health and metrics requests, then stops the proxy and exits.
 *
 * <p>Not part of the product's behaviour: {@code bin/llmhub} never runs it.
 * Usage: {@code java -XX:AOTMode=record -XX:AOTConfiguration=FILE -cp CLASS_PATH dev.llmhub.server.AotTraining
 * PLUGINS_DIR [ROUNDS]}
 */
public final class AotTraining {
    private static final String KEY = "sk-aot-training";

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path plugins = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
        Path work = Files.createTempDirectory("llmhub-aot-training");
        try {
            int port = freePort();
            Path config = work.resolve("config.yaml");
            Files.writeString(config, """
                    model_list:
                      - model_name: hop
                        litellm_params: {model: openai/mock, api_base: "http://127.0.0.1:%d/v1", api_key: %s}
                      - model_name: mock
                        litellm_params: {model: mock/gpt-4o-mini, mock_response: "Good morning! How can I assist you today?"}
                    litellm_settings:
                      callbacks: ["file"]
                    callback_settings:
                      file: {path: "%s"}
                    general_settings:
                      master_key: %s
                    """.formatted(port, KEY, work.resolve("calls.jsonl"), KEY));
            Logging.configure(false, false);
            Main.Running running = Main.start(CliOptions.parse(new String[] {"--config", config.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--plugins-dir", plugins.toString(),
                "--data-dir", work.resolve("data").toString()}));
            try {
                int failed = traffic("http://127.0.0.1:" + port, rounds);
                System.out.println("llmhub AOT training: " + rounds + " rounds of calls, " + failed + " unexpected answers");
            } finally {
                running.stop();
            }
        } finally {
            delete(work);
        }
        System.exit(0); // the JVM writes the AOT cache as it exits
    }

    /** @return how many answers were not what the call should get */
    private static int traffic(String base, int rounds) throws InterruptedException {
        WebClient client = WebClient.builder().baseUri(base).readTimeout(Duration.ofSeconds(30)).build();
        List<String[]> calls = List.of(
                new String[] {"/v1/chat/completions", "{\"model\":\"hop\",\"messages\":[{\"role\":\"user\",\"content\":\"good morning good sir\"}]}", "200"},
                new String[] {"/v1/chat/completions", "{\"model\":\"hop\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"good morning\"}]}", "200"},
                new String[] {"/chat/completions", "{\"model\":\"mock\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2,\"metadata\":{\"user_id\":\"u1\"}}", "200"},
                new String[] {"/v1/messages", "{\"model\":\"mock\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "200"},
                new String[] {"/v1/messages", "{\"model\":\"hop\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "200"},
                new String[] {"/v1/responses", "{\"model\":\"mock\",\"input\":\"hi\"}", "200"},
                new String[] {"/v1/completions", "{\"model\":\"mock\",\"prompt\":\"hi\"}", "200"},
                new String[] {"/v1/embeddings", "{\"model\":\"mock\",\"input\":\"hi\"}", "200"},
                new String[] {"/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[]}", "400"},
                new String[] {"/v1/chat/completions", "{not json", "400"});
        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < rounds / 4; i++) {
                    // mostly the common call, the others in turn
                    String[] call = i % 4 != 0 ? calls.get(0) : calls.get((i / 4 + offset) % calls.size());
                    if (!post(client, call[0], call[1], Integer.parseInt(call[2]))) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        for (String path : List.of("/health/readiness", "/health/liveliness", "/metrics", "/v1/models")) {
            try (HttpClientResponse r = client.get(path).header(HeaderNames.AUTHORIZATION, "Bearer " + KEY).request()) {
                r.entity().consume();
            }
        }
        try (HttpClientResponse r = client.post("/v1/chat/completions").header(HeaderNames.AUTHORIZATION, "Bearer wrong")
                .submit("{}")) {
            r.entity().consume();
        }
        return failed.get();
    }

    private static boolean post(WebClient client, String path, String body, int expected) {
        try (HttpClientResponse r = client.post(path).header(HeaderNames.AUTHORIZATION, "Bearer " + KEY)
                .header(HeaderNames.CONTENT_TYPE, "application/json").submit(body)) {
            r.entity().consume();
            return r.status().code() == expected;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            // best effort: a temp folder
        }
    }
}
