package dev.llmhub.e2e;

import static dev.llmhub.e2e.Benchmarks.KEY;
import static dev.llmhub.e2e.Benchmarks.call;
import static dev.llmhub.e2e.Benchmarks.intArg;
import static dev.llmhub.e2e.Benchmarks.warmUp;

import dev.llmhub.testsupport.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests/s and latency of the proxy with the Kafka journal against the local journal, both with
 * {@code durability: process} (Kafka: {@code acks=1}, the leader has the record before the answer
 * completes; local: the {@code write} returned). For each journal the assembled distribution runs as a
 * process with a mock model and the {@code file} destination (one lane reading the journal), closed-loop
 * clients call it until the request rate stops climbing (5 s windows, at least 30 s: the JIT needs
 * that), then requests/s, p50 and p99 are measured. The broker (single-node KRaft, its own JVM) shares
 * the machine with the proxy. Run by {@code bench/kafka-journal.sh}; not a test.
 *
 * <p>Arguments: measured seconds (20), concurrent clients (16), most warm-up seconds (120).
 */
public final class KafkaJournalBenchmark {
    private KafkaJournalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = intArg(args, 0, 20);
        int clients = intArg(args, 1, 16);
        int maxWarmup = intArg(args, 2, 120);
        Benchmarks.withBroker("target/kafka-journal-bench-work", broker -> {
            System.out.printf("llmhub journal benchmark, durability process: %d clients, %d s measured after a plateau,"
                    + " %d CPUs, Kafka %s at %s (same machine)%n", clients, seconds, Runtime.getRuntime().availableProcessors(),
                    KafkaBroker.version(), broker.bootstrapServers());
            List<String> lines = new ArrayList<>();
            for (String kind : List.of("local", "kafka")) {
                lines.add(run(kind, broker, seconds, clients, maxWarmup));
            }
            System.out.println();
            System.out.println("journal  warmup_s  cold_rps  cold/w  requests/s  p50_ms  p99_ms  errors  journal_write_failures  records_in_file");
            lines.forEach(System.out::println);
        });
    }

    private static String run(String kind, KafkaBroker broker, int seconds, int clients, int maxWarmup) throws Exception {
        Path work = Files.createTempDirectory("llmhub-journal-bench");
        Path file = work.resolve("calls.jsonl");
        String journal = kind.equals("local") ? "" : """
                  journal:
                    kind: kafka
                    bootstrap_servers: %s
                    topic: llmhub-bench-journal-%s
                """.formatted(broker.bootstrapServers(), UUID.randomUUID().toString().substring(0, 8));
        String config = """
                model_list:
                  - model_name: bench
                    litellm_params:
                      model: mock/bench
                      mock_response: "Good morning! How can I assist you today?"
                litellm_settings:
                  callbacks: ["file"]
                callback_settings:
                  file:
                    path: %s
                    max_size: 64GB
                general_settings:
                  master_key: %s
                  durability: process
                %s""".formatted(file, KEY, journal);
        try (ProxyProcess proxy = ProxyProcess.start(work, config, null, Map.of("LLMHUB_JAVA_OPTS", "-Xms256m -Xmx512m"))) {
            return measure(kind, proxy, file, seconds, clients, maxWarmup);
        } finally {
            Benchmarks.deleteTree(work);
        }
    }

    private static String measure(String kind, ProxyProcess proxy, Path file, int seconds, int clients, int maxWarmup)
            throws Exception {
        Load load = new Load(proxy, clients);
        Benchmarks.Warmup warmup = warmUp(kind, "requests/s", load.done::get, maxWarmup);
        long[] latencies = load.measure(seconds);
        double rps = latencies.length / (double) seconds;
        Arrays.sort(latencies);
        load.stop();
        PrometheusScrape m = proxy.metrics();
        long total = load.done.get();
        proxy.await("every call in the file", java.time.Duration.ofMinutes(5), () -> lines(file) >= total);
        return String.format("%-7s  %8.0f  %8.0f  %6.2f  %10.0f  %6.2f  %6.2f  %6d  %22.0f  %15d", kind, warmup.seconds(),
                warmup.cold(), warmup.coldOver(rps), rps,
                percentile(latencies, 0.50), percentile(latencies, 0.99), load.errors.get(),
                Math.max(0, m.value("llmhub_journal_write_failures_total")), lines(file));
    }

    /** Closed-loop clients: each sends its next call when the last one was answered. */
    private static final class Load {
        final AtomicLong done = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private final List<long[]> recorded = new ArrayList<>();
        private final java.util.concurrent.atomic.AtomicIntegerArray counts;
        private volatile long from = Long.MAX_VALUE;
        private volatile long to = Long.MAX_VALUE;
        private volatile boolean stop;

        Load(ProxyProcess proxy, int clients) {
            counts = new java.util.concurrent.atomic.AtomicIntegerArray(clients);
            for (int c = 0; c < clients; c++) {
                long[] lat = new long[1 << 18];
                recorded.add(lat);
                int me = c;
                threads.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                    while (!stop) {
                        long t0 = System.nanoTime();
                        boolean ok = call(proxy);
                        long t1 = System.nanoTime();
                        (ok ? done : errors).incrementAndGet();
                        int n = counts.get(me);
                        if (ok && t0 >= from && t0 < to && n < lat.length) {
                            lat[n] = t1 - t0;
                            counts.set(me, n + 1);
                        }
                    }
                }));
            }
        }

        /** @return the latency (ns) of every call started in the next {@code seconds} */
        long[] measure(int seconds) throws InterruptedException {
            long start = System.nanoTime();
            to = start + TimeUnit.SECONDS.toNanos(seconds);
            from = start;
            TimeUnit.NANOSECONDS.sleep(to - start);
            // calls started before `to` finish within a timeout; wait for them before reading
            TimeUnit.SECONDS.sleep(1);
            int n = 0;
            for (int c = 0; c < counts.length(); c++) {
                n += counts.get(c);
            }
            long[] out = new long[n];
            int i = 0;
            for (int c = 0; c < counts.length(); c++) {
                int k = counts.get(c);
                System.arraycopy(recorded.get(c), 0, out, i, k);
                i += k;
            }
            return out;
        }

        void stop() throws InterruptedException {
            stop = true;
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static long lines(Path file) {
        try (var s = Files.lines(file)) {
            return s.filter(l -> !l.isBlank()).count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
