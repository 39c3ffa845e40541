package dev.llmhub.e2e;

import static dev.llmhub.e2e.Benchmarks.KEY;
import static dev.llmhub.e2e.Benchmarks.inParallel;
import static dev.llmhub.e2e.Benchmarks.intArg;
import static dev.llmhub.e2e.Benchmarks.seconds;

import dev.llmhub.plugin.elasticsearch.ElasticsearchRest;
import dev.llmhub.plugin.elasticsearch.ElasticsearchServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Sustained records/s from the proxy's lane into a real Elasticsearch 9.2: the assembled distribution
 * runs as a process with the {@code elasticsearch} destination, closed-loop clients send calls to a
 * mock model through it, and the clock stops when the last document is searchable. Then the same
 * calls are sent while the server is down, and the backlog's drain rate is timed once it is back: the
 * lane's own capacity, not bounded by how fast clients call. Run by
 * {@code bench/elasticsearch-proxy.sh}; not a test (no assertion beyond "every call became a document").
 *
 * <p>Arguments: calls, concurrent clients, lane batch sizes…
 */
public final class ElasticsearchProxyBenchmark {
    private ElasticsearchProxyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = intArg(args, 0, 20000);
        int clients = intArg(args, 1, 8);
        List<Integer> batchSizes = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            batchSizes.add(Integer.parseInt(args[i]));
        }
        if (batchSizes.isEmpty()) {
            batchSizes = List.of(100, 512, 2000);
        }
        ElasticsearchServer es = ElasticsearchServer.shared();
        ElasticsearchRest rest = new ElasticsearchRest(es.url());
        System.out.printf("llmhub -> elasticsearch through the proxy: %d calls, %d clients, %d CPUs, Elasticsearch %s%n",
                calls, clients, Runtime.getRuntime().availableProcessors(), es.url());
        System.out.println("batch_size  calls/s(client)  records/s(indexed)  lag_after_last_call_ms  backlog_drain_rec/s  exported  retried  failed  dropped");
        for (int batch : batchSizes) {
            run(es, rest, calls, clients, batch);
        }
        es.stop();
        System.exit(0);
    }

    private static void run(ElasticsearchServer es, ElasticsearchRest rest, int calls, int clients, int batch)
            throws Exception {
        String index = "llmhub-bench-b" + batch;
        Path work = Files.createTempDirectory("llmhub-es-bench");
        String config = Benchmarks.config(ConfigYaml.only("elasticsearch", "url: " + es.url(), "index: " + index,
                "batch_size: " + batch, "queue_size: " + (calls + 1000), "flush_interval: 200ms", "retry_max_backoff: 1s"));
        try (ProxyProcess proxy = ProxyProcess.start(work, config, null, Map.of("LLMHUB_JAVA_OPTS", "-Xmx768m"))) {
            // Warm-up: the template install and first bulk are not part of the sustained rate.
            send(proxy, 1);
            awaitCount(rest, index, 1, proxy);

            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            int errors = inParallel(pool, clients, calls, share -> send(proxy, share));
            long tCalls = System.nanoTime();
            awaitCount(rest, index, calls + 1, proxy);
            long tIndexed = System.nanoTime();

            // Backlog: the same calls while the server is down, then the time the lane takes to empty
            // once it is back (from the moment it answers; the lane's next retry is at most 1 s away).
            es.stop();
            errors += inParallel(pool, clients, calls, share -> send(proxy, share));
            pool.shutdown();
            es.start();
            long tBack = System.nanoTime();
            awaitCount(rest, index, 2L * calls + 1, proxy);
            long tDrained = System.nanoTime();

            PrometheusScrape m = proxy.metrics();
            System.out.printf("%10d  %15.0f  %18.0f  %22d  %19.0f  %8.0f  %7.0f  %6.0f  %7.0f%s%n", batch,
                    calls / seconds(tCalls - t0), calls / seconds(tIndexed - t0),
                    TimeUnit.NANOSECONDS.toMillis(tIndexed - tCalls), calls / seconds(tDrained - tBack),
                    m.records("elasticsearch", "exported"), m.records("elasticsearch", "retried"),
                    m.records("elasticsearch", "failed"), m.records("elasticsearch", "dropped"),
                    errors > 0 ? "  (" + errors + " calls failed)" : "");
        }
        Benchmarks.deleteTree(work);
    }

    private static int send(ProxyProcess proxy, int n) {
        int errors = 0;
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = proxy.post("/v1/chat/completions",
                    "{\"model\":\"bench\",\"user\":\"u" + (i % 50) + "\",\"messages\":[{\"role\":\"user\",\"content\":\"good morning good sir\"}]}",
                    "Content-Type", "application/json", "Authorization", "Bearer " + KEY);
            if (r.statusCode() != 200) {
                errors++;
            }
        }
        return errors;
    }

    private static void awaitCount(ElasticsearchRest rest, String index, long expected, ProxyProcess proxy) {
        proxy.await(expected + " documents in " + index, Duration.ofMinutes(10), () -> {
            long count = rest.count(index);
            if (count > expected) {
                throw new IllegalStateException(count + " documents for " + expected + " calls in " + index);
            }
            return count == expected;
        });
    }
}
