import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop HTTP load: C concurrent clients POST a chat request to URL for a warm-up, then for the
 * measured duration, recording every latency. Prints one line:
 *   requests=N errors=E rps=R p50_ms=X p99_ms=Y
 * Run: java bench/LoadClient.java URL CONCURRENCY WARMUP_SECONDS SECONDS [AUTH_KEY]
 */
public final class LoadClient {
    private static final String BODY = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"good morning good sir\"}]}";

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        long warmup = Long.parseLong(args[2]);
        long seconds = Long.parseLong(args[3]);
        String key = args.length > 4 ? args[4] : null;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (key != null) {
            rb.header("Authorization", "Bearer " + key);
        }
        HttpRequest request = rb.build();

        long start = System.nanoTime();
        long measureFrom = start + Duration.ofSeconds(warmup).toNanos();
        long end = measureFrom + Duration.ofSeconds(seconds).toNanos();
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            long[][] holder = new long[1][];
            Thread t = Thread.ofPlatform().start(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    try {
                        HttpResponse<byte[]> res = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (res.statusCode() != 200) {
                            errors.incrementAndGet();
                            continue;
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom && t1 <= end) {
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = t1 - t0;
                    }
                }
                holder[0] = Arrays.copyOf(lat, n);
                synchronized (perThread) {
                    perThread.add(holder[0]);
                }
            });
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double rps = all.length / (double) seconds;
        System.out.printf("requests=%d errors=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f%n", all.length, errors.get(), rps,
                pct(all, 0.50) / 1e6, pct(all, 0.99) / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
