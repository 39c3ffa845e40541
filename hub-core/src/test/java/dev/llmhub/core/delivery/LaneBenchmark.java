package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.plugin.PluginInvoker;
import dev.llmhub.core.record.SampleRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A plain-main benchmark (no JMH): records per second through one lane into a no-op destination at a
 * few batch sizes, and the request-path cost of {@code publish} with 0, 1 and 4 lanes. Run by
 * {@code bench/pipeline.sh}; numbers are for comparison on one machine, not assertions.
 *
 * <p>Args: [records per run, default 300000].
 */
public final class LaneBenchmark {
    private LaneBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        List<CallRecord> pool = IntStream.range(0, 1024).mapToObj(i -> SampleRecords.seedSuccess().build()).toList();
        System.out.printf(Locale.ROOT, "lane throughput into a no-op destination (%d records, redaction on, 2 concurrent exports)%n", n);
        System.out.printf(Locale.ROOT, "%-12s %14s %10s%n", "batch_size", "records/s", "dropped");
        for (int batch : new int[] {1, 64, 512, 2048}) {
            run(pool, n / 5, batch); // warm-up
            double[] r = run(pool, n, batch);
            System.out.printf(Locale.ROOT, "%-12d %14.0f %10.0f%n", batch, r[0], r[1]);
        }
        System.out.println();
        System.out.println("request-path cost of publish() (one thread, lanes idle-draining into no-op destinations)");
        System.out.printf(Locale.ROOT, "%-12s %14s%n", "lanes", "ns/publish");
        for (int lanes : new int[] {0, 1, 4}) {
            publishCost(pool, n / 5, lanes);
            System.out.printf(Locale.ROOT, "%-12d %14.0f%n", lanes, publishCost(pool, n, lanes));
        }
    }

    private static DeliveryLane lane(String name, int batch, SimpleMeterRegistry registry) {
        LaneSettings s = new LaneSettings(200_000, batch, 64L << 20, Duration.ofMillis(5), 2, Duration.ofSeconds(30),
                Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(60), true);
        DeliveryLane lane = new DeliveryLane(name, s, new Subscription(true, true, false),
                new RedactionPolicy(List.of(), true), registry);
        Destination noop = b -> ExportResult.success();
        lane.bind(new Binding("bench", "0", noop, new PluginInvoker(name, LaneBenchmark.class.getClassLoader(), 5)));
        lane.start();
        return lane;
    }

    /** @return records/s delivered, records dropped */
    private static double[] run(List<CallRecord> pool, int n, int batch) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DeliveryLane lane = lane("bench-" + batch, batch, registry);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            // Keep below the queue bound so the number measures delivery, not overflow.
            while (lane.queueDepth() > 150_000) {
                Thread.onSpinWait();
            }
            lane.offer(pool.get(i & 1023));
        }
        while (lane.counters().exported() + lane.counters().dropped() < n) {
            Thread.onSpinWait();
        }
        long t1 = System.nanoTime();
        lane.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        return new double[] {lane.counters().exported() / ((t1 - t0) / 1e9), lane.counters().dropped()};
    }

    private static double publishCost(List<CallRecord> pool, int n, int lanes) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<DeliveryLane> ls = IntStream.range(0, lanes).mapToObj(i -> lane("cost-" + i, 512, registry)).toList();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            CallRecord r = pool.get(i & 1023);
            for (DeliveryLane l : ls) {
                l.offer(r);
            }
        }
        long t1 = System.nanoTime();
        ls.forEach(l -> l.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
        return (t1 - t0) / (double) n;
    }
}
