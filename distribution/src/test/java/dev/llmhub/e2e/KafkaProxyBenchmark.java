package dev.llmhub.e2e;

import static dev.llmhub.e2e.Benchmarks.call;
import static dev.llmhub.e2e.Benchmarks.inParallel;
import static dev.llmhub.e2e.Benchmarks.intArg;
import static dev.llmhub.e2e.Benchmarks.seconds;
import static dev.llmhub.e2e.Benchmarks.warmUp;

import dev.llmhub.testsupport.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records/s from the proxy's {@code kafka} lane into a real broker, once with {@code acks: all}
 * (idempotent producer) and once with {@code acks: 1}. For each: the assembled distribution runs as a
 * process, closed-loop clients call a mock model through it until the rate into the topic stops
 * climbing (5 s windows, at least 30 s: the JIT needs that), then the sustained rate is measured;
 * then the broker is killed, a backlog of calls is made, and the rate at which the lane drains it
 * into the restarted broker is timed — the lane's own capacity, not bounded by how fast clients call.
 * Run by {@code bench/kafka.sh}; not a test (its only check is "every call became a message").
 *
 * <p>Arguments: measured seconds (20), concurrent clients (16), backlog calls (30000), most warm-up
 * seconds (120).
 */
public final class KafkaProxyBenchmark {
    private KafkaProxyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = intArg(args, 0, 20);
        int clients = intArg(args, 1, 16);
        int backlog = intArg(args, 2, 30_000);
        int maxWarmup = intArg(args, 3, 120);
        Benchmarks.withBroker("target/kafka-bench-work", broker -> {
            System.out.printf("llmhub -> kafka through the proxy: %d clients, %d s measured after a plateau, backlog %d,"
                    + " %d CPUs, Kafka %s at %s%n", clients, seconds, backlog, Runtime.getRuntime().availableProcessors(),
                    KafkaBroker.version(), broker.bootstrapServers());
            List<String> lines = new ArrayList<>();
            for (String acks : List.of("all", "1")) {
                lines.add(run(broker, acks, seconds, clients, backlog, maxWarmup));
            }
            System.out.println();
            System.out.println("acks  warmup_s  cold_rec/s  cold/w  calls/s(client)  records/s(into topic)  lag_after_last_call_ms"
                    + "  backlog_drain_rec/s  exported  retried  failed  dropped");
            lines.forEach(System.out::println);
        });
    }

    private static String run(KafkaBroker broker, String acks, int seconds, int clients, int backlog, int maxWarmup)
            throws Exception {
        String topic = "llmhub-bench-acks-" + acks;
        broker.createTopic(topic, 3);
        Path work = Files.createTempDirectory("llmhub-kafka-bench");
        String config = Benchmarks.config(ConfigYaml.only("kafka", "bootstrap_servers: " + broker.bootstrapServers(),
                "topic: " + topic, "acks: " + acks, "queue_size: " + backlog * 2, "retry_max_backoff: 1s"));
        try (ProxyProcess proxy = ProxyProcess.start(work, config, null, Map.of("LLMHUB_JAVA_OPTS", "-Xms512m -Xmx1g"))) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong answered = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                load.add(pool.submit(() -> {
                    while (!stop.get()) {
                        (call(proxy) ? answered : errors).incrementAndGet();
                    }
                }));
            }

            Benchmarks.Warmup warmup = warmUp("acks=" + acks, "records/s", () -> broker.recordCount(topic), maxWarmup);

            long calls0 = answered.get();
            long records0 = broker.recordCount(topic);
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            long calls1 = answered.get();
            long records1 = broker.recordCount(topic);
            double measured = seconds(System.nanoTime() - t0);
            stop.set(true);
            for (Future<?> f : load) {
                f.get();
            }
            long lastCall = System.nanoTime();
            long total = answered.get();
            awaitCount(proxy, broker, topic, total);
            long lag = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastCall);

            // Backlog: calls while the broker is down, then the drain rate from the first message after
            // it is back (so the producer's reconnect and the lane's backoff are not counted).
            broker.kill();
            long backlogErrors = inParallel(pool, clients, backlog, share -> {
                int failed = 0;
                for (int i = 0; i < share; i++) {
                    failed += call(proxy) ? 0 : 1;
                }
                return failed;
            });
            pool.shutdown();
            broker.start();
            long before = broker.recordCount(topic);
            proxy.await("the first message after the broker came back", Duration.ofMinutes(5),
                    () -> broker.recordCount(topic) > before);
            long drainStart = System.nanoTime();
            long drainedFrom = broker.recordCount(topic);
            long expected = total + backlog - backlogErrors;
            awaitCount(proxy, broker, topic, expected);
            double drain = (expected - drainedFrom) / seconds(System.nanoTime() - drainStart);

            PrometheusScrape m = proxy.metrics();
            double recordRate = (records1 - records0) / measured;
            return String.format("%4s  %8.0f  %10.0f  %6.2f  %15.0f  %21.0f  %22d  %19.0f  %8.0f  %7.0f  %6.0f  %7.0f%s", acks,
                    warmup.seconds(), warmup.cold(), warmup.coldOver(recordRate),
                    (calls1 - calls0) / measured, recordRate, lag, drain,
                    m.records("kafka", "exported"), m.records("kafka", "retried"), m.records("kafka", "failed"),
                    m.records("kafka", "dropped"),
                    errors.get() + backlogErrors > 0 ? "  (" + (errors.get() + backlogErrors) + " calls failed)" : "");
        }
    }

    private static void awaitCount(ProxyProcess proxy, KafkaBroker broker, String topic, long expected) {
        proxy.await(expected + " messages in " + topic, Duration.ofMinutes(10), () -> {
            long count = broker.recordCount(topic);
            if (count > expected) {
                System.out.println("  note: " + (count - expected) + " messages more than calls answered 200 in " + topic
                        + " (a call the client saw fail may still have been recorded, or a retry wrote a message twice)");
                return true;
            }
            return count == expected;
        });
    }
}
