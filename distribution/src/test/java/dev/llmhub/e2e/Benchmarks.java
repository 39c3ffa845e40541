package dev.llmhub.e2e;

import dev.llmhub.testsupport.kafka.KafkaBroker;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * What the benchmarks share: their arguments, their broker, the call they make, when warm-up is over,
 * spreading calls over clients, and cleaning up after a run.
 */
final class Benchmarks {
    /** The master key every benchmark proxy is configured with. */
    static final String KEY = "sk-bench";
    /** The benchmark proxies' model list: a mock model "bench" answering like the seed's call, priced like it. */
    static final String MOCK_MODEL_LIST = """
            model_list:
              - model_name: bench
                litellm_params:
                  model: mock/bench
                  mock_response: "Good morning! How can I assist you today?"
                  input_cost_per_token: 1.5e-06
                  output_cost_per_token: 2.0e-06
            """;
    private static final long WINDOW_MS = 5000;

    /** @return a benchmark proxy's config: {@link #MOCK_MODEL_LIST}, then {@code destinations}, then the master key */
    static String config(String destinations) {
        return MOCK_MODEL_LIST + destinations + "general_settings:\n  master_key: " + KEY + "\n";
    }

    private Benchmarks() {
    }

    /** @return argument {@code i} as a number, or {@code otherwise} when it was not given */
    static int intArg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i]) : otherwise;
    }

    /**
     * Starts a broker for a benchmark, in {@code -Dllmhub.kafka.work} (else {@code defaultWork}): the full JIT
     * and a bigger heap than the tests' quick-start one.
     */
    static KafkaBroker startBroker(String defaultWork) {
        return KafkaBroker.builder(Path.of(System.getProperty("llmhub.kafka.work", defaultWork)))
                .jvmOptions("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC").build().start();
    }

    /** A benchmark's measuring, given its broker. */
    interface BrokerRun {
        void run(KafkaBroker broker) throws Exception;
    }

    /**
     * Runs a Kafka benchmark against a broker started for it ({@link #startBroker}), then stops the broker and
     * exits: 0 when the run finished, 1 after printing what failed (System.exit would otherwise swallow it;
     * the clients' threads must not keep a failed run alive).
     */
    static void withBroker(String defaultWork, BrokerRun run) {
        KafkaBroker broker = startBroker(defaultWork);
        int status = 1;
        try {
            run.run(broker);
            status = 0;
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
        } finally {
            broker.close();
            System.exit(status);
        }
    }

    /** @return whether the seed's chat call was answered 200; a failed connection counts as an error, like a 5xx */
    static boolean call(ProxyProcess proxy) {
        try {
            HttpResponse<String> r = proxy.post("/v1/chat/completions",
                    "{\"model\":\"bench\",\"user\":\"u1\",\"messages\":[{\"role\":\"user\",\"content\":\"good morning good sir\"}]}",
                    "Content-Type", "application/json", "Authorization", "Bearer " + KEY);
            return r.statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * How a warm-up went.
     *
     * @param seconds how long it took
     * @param cold    the rate of its first window: the cold figure, reported apart from the measured one
     */
    record Warmup(double seconds, double cold) {
        /** @param warm the measured rate @return the first window's rate over it */
        double coldOver(double warm) {
            return warm > 0 ? cold / warm : 0;
        }
    }

    /**
     * Loads until the rate of {@code counter} reaches a plateau: 5 s windows until three agree within 10 %
     * (and at least 30 s: the JIT needs that), or {@code maxWarmup} seconds. Prints each window.
     *
     * @return how long it took and the first window's rate
     */
    static Warmup warmUp(String label, String unit, LongSupplier counter, int maxWarmup) throws InterruptedException {
        long warmStart = System.nanoTime();
        List<Double> rates = new ArrayList<>();
        while (true) {
            long n0 = counter.getAsLong();
            long t0 = System.nanoTime();
            TimeUnit.MILLISECONDS.sleep(WINDOW_MS);
            double rate = (counter.getAsLong() - n0) / seconds(System.nanoTime() - t0);
            rates.add(rate);
            double elapsed = seconds(System.nanoTime() - warmStart);
            System.out.printf("  %s warm-up %3.0f s: %.0f %s%n", label, elapsed, rate, unit);
            if (elapsed >= 30 && plateau(rates) || elapsed >= maxWarmup) {
                return new Warmup(seconds(System.nanoTime() - warmStart), rates.get(0));
            }
        }
    }

    /** @return whether the last three windows' rates are within 10 % of their mean: the JIT is done */
    static boolean plateau(List<Double> rates) {
        if (rates.size() < 3) {
            return false;
        }
        List<Double> last = rates.subList(rates.size() - 3, rates.size());
        double mean = last.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return mean > 0 && last.stream().allMatch(r -> Math.abs(r - mean) <= 0.1 * mean);
    }

    /**
     * Makes {@code calls} calls on {@code clients} threads of the pool, each its share through {@code send}
     * (which answers how many of its share failed).
     *
     * @return how many failed in all
     */
    static int inParallel(ExecutorService pool, int clients, int calls, IntUnaryOperator send) throws Exception {
        List<Future<Integer>> parts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int share = calls / clients + (c < calls % clients ? 1 : 0);
            parts.add(pool.submit(() -> send.applyAsInt(share)));
        }
        int failed = 0;
        for (Future<Integer> f : parts) {
            failed += f.get();
        }
        return failed;
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Deletes a run's folder (journal, files written): hundreds of MB after a run. */
    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
