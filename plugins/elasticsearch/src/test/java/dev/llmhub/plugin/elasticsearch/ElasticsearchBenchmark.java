package dev.llmhub.plugin.elasticsearch;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/elasticsearch.sh}: starts a real Elasticsearch, then for each batch size exports batches
 * of fresh records through the destination, one export at a time (one lane, concurrency 1), for a fixed
 * time, and prints records/s. Usage: {@code ElasticsearchBenchmark <seconds> <batch size>...}.
 */
public final class ElasticsearchBenchmark {
    private ElasticsearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration perSize = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 20);
        int[] sizes = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {50, 200, 1000};
        ElasticsearchServer server = new ElasticsearchServer(
                Path.of(System.getProperty("llmhub.es.home", "plugins/elasticsearch/target/elasticsearch-9.2.0")),
                Path.of(System.getProperty("llmhub.es.work", "plugins/elasticsearch/target/bench-work")));
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "stop-elasticsearch"));
        server.wipeData();
        server.start();
        ElasticsearchRest rest = new ElasticsearchRest(server.url());
        System.out.printf("Elasticsearch 9.2.0 ready in %.1f s; %d s per batch size, one export at a time%n",
                server.lastStartTime().toMillis() / 1000.0, perSize.toSeconds());
        System.out.printf("%-10s %10s %10s %12s %14s %10s%n", "batch", "records", "exports", "records/s", "ms/export p50", "indexed");
        CallRecord template = SampleRecords.seedSuccess().build();
        for (int size : sizes) {
            String index = "bench-" + size;
            TestPluginContext ctx = TestPluginContext.of("elasticsearch", Map.of("url", server.url(), "index", index), Map.of());
            long records = 0;
            long failedRecords = 0;
            List<Long> latencies = new ArrayList<>();
            try (Destination d = new ElasticsearchDestinationFactory().create(ctx)) {
                // Warm-up: template install, data stream creation, JIT.
                d.export(batch(template, size, "warm-" + size));
                long start = System.nanoTime();
                long end = start + perSize.toNanos();
                int n = 0;
                while (System.nanoTime() < end) {
                    List<CallRecord> batch = batch(template, size, size + "-" + n++);
                    long t0 = System.nanoTime();
                    ExportResult r = d.export(batch);
                    latencies.add((System.nanoTime() - t0) / 1_000_000);
                    if (r instanceof ExportResult.Success) {
                        records += size;
                    } else {
                        failedRecords += size;
                        System.out.println("export failed: " + r);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                latencies.sort(Long::compare);
                long indexed = rest.count(index) - size;
                System.out.printf("%-10d %10d %10d %12.0f %14d %10d%n", size, records, latencies.size(),
                        records / seconds, latencies.get(latencies.size() / 2), indexed);
                if (failedRecords > 0 || indexed != records) {
                    System.out.println("  mismatch: " + failedRecords + " records failed, " + indexed + " indexed of " + records);
                }
            }
        }
        server.stop();
    }

    private static List<CallRecord> batch(CallRecord template, int size, String prefix) {
        List<CallRecord> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(template.toBuilder().id("bench-" + prefix + "-" + i).build());
        }
        return out;
    }
}
