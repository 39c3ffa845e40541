package dev.llmhub.e2e;

import dev.llmhub.api.ApiKeyInfo;
import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Cost;
import dev.llmhub.api.Destination;
import dev.llmhub.api.DestinationFactory;
import dev.llmhub.api.ExportResult;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import dev.llmhub.plugin.langfuse.LangfuseStandIn;
import dev.llmhub.plugin.otel.OtlpReceiver;
import dev.llmhub.plugin.testkit.LoadedPlugin;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Each destination's own cost, without the proxy: its plugin zip (from the distribution) is loaded by
 * PF4J as the proxy loads it, and one thread — a lane worker's — exports batches of seed-like records
 * into what the tests use as the far side (a file; the OTLP/gRPC receiver; the Langfuse stand-in), for
 * a few seconds after a warm-up of the same length. Prints records/s (over the time spent in exports),
 * and the exporting thread's CPU and allocation per record (the translation, plus whatever transport
 * work the plugin does on the caller's thread), and the CPU per record of the HTTP clients' own threads, which do the rest (OkHttp
 * writes the OTLP exporters' requests; the JDK client's threads Langfuse's).
 * Run by {@code bench/pipeline.sh}; numbers compare runs on one machine.
 *
 * <p>Arguments: seconds per destination (10), batch size (512), destinations (file,otel,langfuse).
 */
public final class DestinationThroughput {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The destinations to run (third argument, comma-separated; all by default). */
    private static Set<String> only;

    private DestinationThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        only = args.length > 2 ? Set.of(args[2].split(",")) : Set.of("file", "otel", "langfuse");
        Path plugins = Path.of(System.getProperty("llmhub.dist.dir")).resolve("plugins");
        Path work = Files.createTempDirectory("llmhub-dest-bench");
        List<CallRecord> batch = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            batch.add(record());
        }
        System.out.printf("destination translation + export, one lane thread, batches of %d records, %d s each after as"
                + " long a warm-up (%d CPUs)%n", batchSize, seconds, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-10s %12s %16s %18s %18s  %s%n", "plugin", "records/s", "lane_cpu_us/rec", "lane_alloc_B/rec",
                "sender_cpu_us/rec",
                "far side");
        try (OtlpReceiver otlp = new OtlpReceiver().start(); LangfuseStandIn langfuse = LangfuseStandIn.start()) {
            run(plugins, work, "file", Map.of("path", work.resolve("calls.jsonl").toString()), Map.of(), batch, seconds,
                    "JSON lines file " + work.resolve("calls.jsonl"), () -> { });
            run(plugins, work, "otel", Map.of("endpoint", otlp.endpoint()), Map.of(), batch, seconds,
                    "OTLP/gRPC receiver (otel tests)", otlp::clear);
            run(plugins, work, "langfuse", Map.of(), Map.of("LANGFUSE_HOST", langfuse.url(), "LANGFUSE_PUBLIC_KEY",
                    LangfuseStandIn.PUBLIC_KEY, "LANGFUSE_SECRET_KEY", LangfuseStandIn.SECRET_KEY), batch, seconds,
                    "Langfuse stand-in (OTLP endpoint)", () -> {
                        if (!langfuse.violations().isEmpty()) {
                            throw new IllegalStateException("the Langfuse stand-in refused what it got: "
                                    + langfuse.violations().get(0));
                        }
                        langfuse.reset();
                    });
        }
    }

    private static void run(Path plugins, Path work, String id, Map<String, Object> settings, Map<String, String> env,
                            List<CallRecord> batch, int seconds, String farSide, Runnable afterBatch) throws Exception {
        if (!only.contains(id)) {
            return;
        }
        try (LoadedPlugin plugin = LoadedPlugin.load(PluginZips.find(plugins, id), work.resolve("plugins-" + id))) {
            DestinationFactory factory = plugin.extension(DestinationFactory.class, id);
            TestPluginContext.Builder context = TestPluginContext.builder(id).settings(settings);
            env.forEach(context::env);
            Destination destination = factory.create(context.build());
            try {
                export(destination, batch, seconds, afterBatch); // warm-up
                Map<Long, Long> senders0 = senderThreadsCpu();
                Exported e = export(destination, batch, seconds, afterBatch);
                long senders = 0;
                for (Map.Entry<Long, Long> s : senderThreadsCpu().entrySet()) {
                    senders += s.getValue() - senders0.getOrDefault(s.getKey(), 0L);
                }
                System.out.printf("%-10s %12.0f %16.1f %18.0f %18.1f  %s%n", id, e.records * 1e9 / e.nanos,
                        e.cpu / 1000.0 / e.records, (double) e.alloc / e.records, senders / 1000.0 / e.records, farSide);
            } finally {
                destination.close();
            }
        }
    }

    /**
     * @return CPU time so far of the HTTP clients' own threads (OkHttp's under the OTLP exporters, the JDK
     *         client's under Langfuse), by thread id: the part of an export that leaves the lane's thread
     */
    private static Map<Long, Long> senderThreadsCpu() {
        Map<Long, Long> cpu = new LinkedHashMap<>();
        for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && (t.getThreadName().toLowerCase(java.util.Locale.ROOT).startsWith("okhttp")
                    || t.getThreadName().startsWith("HttpClient-"))) {
                cpu.put(t.getThreadId(), THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return cpu;
    }

    /** What the exports alone took on the lane's thread: wall time, CPU, allocation. */
    private static final class Exported {
        long records;
        long nanos;
        long cpu;
        long alloc;
    }

    /**
     * Exports batches for {@code seconds}. Every batch holds records the destination has not seen (new
     * ids, as a lane's are): the otel plugin records metrics and sends events once per id, so repeating
     * one batch measured less than a lane does. Making them is not counted.
     */
    private static Exported export(Destination d, List<CallRecord> batch, int seconds, Runnable afterBatch) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Exported e = new Exported();
        List<CallRecord> records = withNewIds(batch);
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
            ExportResult r = d.export(records);
            e.cpu += THREADS.getCurrentThreadCpuTime() - cpu0;
            e.alloc += THREADS.getCurrentThreadAllocatedBytes() - alloc0;
            e.nanos += System.nanoTime() - t0;
            if (!(r instanceof ExportResult.Success)) {
                throw new IllegalStateException("export did not succeed: " + r);
            }
            afterBatch.run();
            e.records += records.size();
            records = withNewIds(records);
        }
        return e;
    }

    private static List<CallRecord> withNewIds(List<CallRecord> batch) {
        List<CallRecord> out = new ArrayList<>(batch.size());
        for (CallRecord r : batch) {
            String trace = UUID.randomUUID().toString().replace("-", "");
            out.add(r.toBuilder().id(UUID.randomUUID().toString()).traceId(trace).spanId(trace.substring(0, 16)).build());
        }
        return out;
    }

    /** A call like the seed's: one short chat message and its answer, with usage, cost and headers. */
    private static CallRecord record() {
        Instant start = Instant.now();
        Instant end = start.plusMillis(420);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "user");
        message.put("content", "good morning good sir");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("index", 0);
        answer.put("message", Map.of("role", "assistant", "content", "Good morning! How can I assist you today?"));
        answer.put("finish_reason", "stop");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("authorization", CallRecord.REDACTED);
        headers.put("user-agent", "OpenAI/Python 1.99.1");
        String trace = UUID.randomUUID().toString().replace("-", "");
        return CallRecord.builder()
                .id(UUID.randomUUID().toString())
                .traceId(trace)
                .spanId(trace.substring(0, 16))
                .callType(CallType.CHAT)
                .requestPath("/v1/chat/completions")
                .model("gpt-4o-mini")
                .modelGroup("gpt-4o-mini")
                .deployment("gpt-4o-mini-0")
                .provider("openai")
                .apiBase("https://api.openai.com/v1")
                .upstreamModel("gpt-4o-mini")
                .responseModel("gpt-4o-mini-2024-07-18")
                .attempts(List.of(new Attempt("gpt-4o-mini-0", "openai",
                        Optional.of("https://api.openai.com/v1/chat/completions"), start.plusMillis(2), end,
                        CallStatus.SUCCESS, Optional.empty())))
                .messages(List.of(message))
                .response(new ResponseContent("chatcmpl-bench", start.getEpochSecond(), List.of(answer), List.of("stop"),
                        Optional.empty()))
                .requestParams(Map.of("temperature", 0.7))
                .usage(new Usage(11, 10, 21, 0, 0, Usage.Source.PROVIDER))
                .cost(new Cost(0.00000165, 0.000006, 0.00000765, "USD", Cost.Source.PRICE_TABLE))
                .startTime(start)
                .endTime(end)
                .upstreamLatencyMs(418)
                .overheadMs(2)
                .user("user-42")
                .apiKey(new ApiKeyInfo("88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
                        Optional.of("master_key")))
                .clientIp("127.0.0.1")
                .userAgent("OpenAI/Python 1.99.1")
                .headers(headers)
                .proxy(new ProxyInfo("bench", "bench"))
                .build();
    }
}
