package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.journal.Durability;
import dev.llmhub.core.journal.Journal;
import dev.llmhub.core.journal.JournalObserver;
import dev.llmhub.core.journal.LocalJournal;
import dev.llmhub.core.journal.MemoryJournal;
import dev.llmhub.core.journal.StartFrom;
import dev.llmhub.core.plugin.PluginInvoker;
import dev.llmhub.core.record.CallRecordCodec;
import dev.llmhub.core.record.SampleRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A plain-main benchmark (no JMH): records per second one lane reads from the journal into a no-op
 * destination at a few batch sizes, and what the request path pays to publish a record (redaction
 * plus the journal append) for each durability. Run by {@code bench/pipeline.sh}; numbers are for
 * comparison on one machine, not assertions.
 *
 * <p>Args: [records per run, default 200000].
 */
public final class LaneBenchmark {
    private LaneBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        List<CallRecord> pool = IntStream.range(0, 1024)
                .mapToObj(i -> SampleRecords.seedSuccess().id(UUID.randomUUID().toString()).build()).toList();
        System.out.printf(Locale.ROOT, "lane throughput from the journal into a no-op destination (%d records, 2 workers)%n", n);
        System.out.printf(Locale.ROOT, "%-10s %-12s %14s%n", "journal", "batch_size", "records/s");
        for (Durability d : List.of(Durability.MEMORY, Durability.PROCESS)) {
            for (int batch : new int[] {1, 64, 512, 2048}) {
                lane(pool, n / 5, batch, d); // warm-up
                System.out.printf(Locale.ROOT, "%-10s %-12d %14.0f%n", d.wireName(), batch, lane(pool, n, batch, d));
            }
        }
        System.out.println();
        System.out.println("request-path cost of publishing one record (redaction + append, waiting until durable)");
        System.out.printf(Locale.ROOT, "%-10s %10s %16s %16s%n", "journal", "threads", "records/s", "us/record/thread");
        for (Durability d : List.of(Durability.MEMORY, Durability.PROCESS, Durability.FSYNC)) {
            for (int threads : new int[] {1, 16}) {
                int count = d == Durability.FSYNC ? Math.min(n, 20_000) : n;
                publish(pool, count / 5, threads, d);
                double[] r = publish(pool, count, threads, d);
                System.out.printf(Locale.ROOT, "%-10s %10d %16.0f %16.2f%n", d.wireName(), threads, r[0], r[1]);
            }
        }
    }

    private static Journal<CallRecord> journal(Durability d, Path dir) {
        return d == Durability.MEMORY
                ? new MemoryJournal<>(1L << 30, new CallRecordCodec(), JournalObserver.NONE, Clock.systemUTC())
                : LocalJournal.open(LocalJournal.Options.defaults(dir, new CallRecordCodec()).withDurability(d)
                        .withMaxDiskBytes(8L << 30));
    }

    /** @return records/s a lane delivers, reading a journal that already holds {@code n} records */
    private static double lane(List<CallRecord> pool, int n, int batch, Durability d) throws IOException {
        Path dir = Files.createTempDirectory("lane-bench");
        try (Journal<CallRecord> journal = journal(d, dir)) {
            for (int i = 0; i < n; i++) {
                journal.append(pool.get(i & 1023));
            }
            LaneSettings s = new LaneSettings(batch, 64L << 20, Duration.ofMillis(5), 2, Duration.ofSeconds(30),
                    Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(60), 100, true,
                    StartFrom.EARLIEST);
            Lane lane = new Lane("bench", LaneKind.DESTINATION, s, new Subscription(true, true, false),
                    journal.open("bench-" + batch, StartFrom.EARLIEST), new RedactionPolicy(List.of(), true),
                    new SimpleMeterRegistry());
            Destination noop = b -> ExportResult.success();
            lane.bind(new Binding("bench", "0", noop, new PluginInvoker("bench", LaneBenchmark.class.getClassLoader()),
                    () -> { }));
            long t0 = System.nanoTime();
            lane.start();
            while (lane.status().counters().exported() < n) {
                Thread.onSpinWait();
            }
            long t1 = System.nanoTime();
            lane.stop(Duration.ofSeconds(30), false);
            return n / ((t1 - t0) / 1e9);
        } finally {
            delete(dir);
        }
    }

    /** @return records/s and microseconds per record per thread for the request path's publish */
    private static double[] publish(List<CallRecord> pool, int n, int threads, Durability d) throws Exception {
        Path dir = Files.createTempDirectory("publish-bench");
        try (Journal<CallRecord> journal = journal(d, dir)) {
            RecordPublisher publisher = new RecordPublisher(journal, new RedactionPolicy(List.of(), true),
                    new SimpleMeterRegistry());
            int each = n / threads;
            long t0 = System.nanoTime();
            List<Thread> ts = IntStream.range(0, threads).mapToObj(t -> Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        publisher.publish(pool.get((t * 31 + i) & 1023)).await(Duration.ofSeconds(30));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            })).toList();
            for (Thread t : ts) {
                t.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new double[] {each * threads / seconds, seconds * 1e6 / each};
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
