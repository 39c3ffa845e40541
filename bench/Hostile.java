import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hostile load of bench/hostile.sh: N requests from C concurrent clients, in turn a 2 MB chat
 * body, a body nested 100,000 levels deep, a body with a 5,000-key object (metadata and a request
 * parameter), and a plain chat call. Prints one line: requests=N, the answers by kind and status,
 * errors=E (no answer at all: a reset, a timeout).
 * Usage: java bench/Hostile.java URL KEY [requests=3000] [concurrency=16]
 */
public class Hostile {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String key = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        int conc = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        String msg = "\"messages\":[{\"role\":\"user\",\"content\":\"good morning good sir\"}]";
        String big = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}]}";
        String deep = "{\"model\":\"bench\"," + msg + ",\"metadata\":{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}}";
        StringBuilder wide = new StringBuilder("{\"model\":\"bench\"," + msg + ",\"metadata\":{");
        StringBuilder param = new StringBuilder("\"logit_bias\":{");
        for (int i = 0; i < 5000; i++) {
            wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"value ").append(i).append('"');
            param.append(i == 0 ? "" : ",").append('"').append(i).append("\":").append(i % 100 - 50);
        }
        wide.append("},").append(param).append("}}");
        String plain = "{\"model\":\"bench\"," + msg + "}";
        List<Map.Entry<String, String>> bodies = List.of(Map.entry("big_2MB", big), Map.entry("deep", deep),
                Map.entry("wide_5000", wide.toString()), Map.entry("plain", plain));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        Map<String, String> firstError = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        LongAdder errors = new LongAdder();
        try (var pool = Executors.newFixedThreadPool(conc)) {
            for (int t = 0; t < conc; t++) {
                pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        Map.Entry<String, String> b = bodies.get(i % bodies.size());
                        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(b.getValue())).build();
                        try {
                            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                            answers.computeIfAbsent(b.getKey() + ":" + r.statusCode(), k -> new LongAdder()).increment();
                            if (r.statusCode() >= 500) {
                                firstError.putIfAbsent(b.getKey() + ":" + r.statusCode(), r.body());
                            }
                        } catch (Exception e) {
                            errors.increment();
                            firstError.putIfAbsent(b.getKey() + ":error", String.valueOf(e));
                        }
                    }
                    return null;
                });
            }
        }
        StringBuilder out = new StringBuilder("requests=" + n);
        new TreeMap<>(answers).forEach((k, v) -> out.append(' ').append(k).append('=').append(v.sum()));
        out.append(" errors=").append(errors.sum());
        System.out.println(out);
        firstError.forEach((k, v) -> System.out.println("  first " + k + ": " + v.substring(0, Math.min(300, v.length()))));
    }
}
