package dev.llmhub.bench.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import dev.llmhub.api.CallRecord;
import dev.llmhub.core.journal.Entry;
import dev.llmhub.core.journal.JournalReader;
import dev.llmhub.core.journal.LocalJournal;
import dev.llmhub.core.journal.StartFrom;
import dev.llmhub.core.record.CallRecordCodec;
import dev.llmhub.core.record.CallRecordJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The journal benchmark. {@code all} runs every measurement, each in its own JVM (a clean heap, its
 * own JIT warm-up), and prints the tables; the other commands are those child runs.
 *
 * <pre>
 * all WORKDIR WARMUP_S MEASURE_S GIB          every table below
 * append STORE DIR WRITERS WARMUP_S MEASURE_S  append throughput and latency (one line)
 * append-records DIR WRITERS WARMUP_S MEASURE_S   the same with CallRecord values and the JSON codec
 * fill STORE DIR BYTES                          appends BYTES with 16 writers, says so, waits to be killed
 * recover STORE DIR EXPECTED                    open time after the kill, then a full replay
 * codec WARMUP_S MEASURE_S                      JSON vs Smile, encode and decode
 * heap                                          heap with no backlog vs a 100,000-record backlog
 * </pre>
 */
public final class Bench {
    private static final List<String> STORES = List.of("llmhub", "rocksdb", "mvstore", "chronicle");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "all" -> all(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Double.parseDouble(args[4]));
            case "append" -> {
                List<byte[]> records = Records.bytes(1024);
                AtomicLong i = new AtomicLong();
                try (Store s = Store.open(args[1], Path.of(args[2]))) {
                    printAppend(args[1], appendRun(s::append, () -> records.get((int) (i.getAndIncrement() & 1023)),
                            Integer.parseInt(args[3]), args[4], args[5]));
                }
            }
            case "append-records" -> appendRecords(Path.of(args[1]), Integer.parseInt(args[2]), args[3], args[4]);
            case "fill" -> fill(args[1], Path.of(args[2]), Long.parseLong(args[3]));
            case "recover" -> recover(args[1], Path.of(args[2]), Long.parseLong(args[3]));
            case "codec" -> codec(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "heap" -> heap();
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    // ---- the child runs -----------------------------------------------------------------------

    interface Appender<V> {
        void append(V value) throws Exception;
    }

    /** @return [records/s, p50 µs, p99 µs, p99.9 µs] over the measured window */
    static <V> double[] appendRun(Appender<V> store, Supplier<V> values, int writers, String warmupS, String measureS)
            throws Exception {
        long warmup = Duration.ofSeconds(Long.parseLong(warmupS)).toNanos();
        long measure = Duration.ofSeconds(Long.parseLong(measureS)).toNanos();
        long start = System.nanoTime();
        long measureFrom = start + warmup;
        long end = measureFrom + measure;
        long[][] latencies = new long[writers][];
        int[] counts = new int[writers];
        List<Thread> threads = new ArrayList<>();
        Exception[] failure = new Exception[1];
        for (int w = 0; w < writers; w++) {
            int id = w;
            threads.add(threads().start(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                try {
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        store.append(values.get());
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom) {
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = t1 - t0;
                        }
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
                latencies[id] = lat;
                counts[id] = n;
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int k = 0;
        for (int w = 0; w < writers; w++) {
            System.arraycopy(latencies[w], 0, all, k, counts[w]);
            k += counts[w];
        }
        Arrays.sort(all);
        return new double[] {total / (measure / 1e9), pct(all, 0.50), pct(all, 0.99), pct(all, 0.999)};
    }

    /** Virtual threads, as Helidon's request threads; platform threads with -Dbench.platformThreads=true. */
    private static Thread.Builder threads() {
        return Boolean.getBoolean("bench.platformThreads") ? Thread.ofPlatform() : Thread.ofVirtual();
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.round(p * sorted.length))] / 1000.0;
    }

    private static void printAppend(String name, double[] r) {
        System.out.printf(Locale.ROOT, "RESULT store=%s rps=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f%n", name, r[0], r[1], r[2], r[3]);
    }

    private static void appendRecords(Path dir, int writers, String warmupS, String measureS) throws Exception {
        List<CallRecord> records = Records.records(1024);
        AtomicLong i = new AtomicLong();
        try (LocalJournal<CallRecord> j = LocalJournal.open(LocalJournal.Options.defaults(dir, new CallRecordCodec())
                .withMaxDiskBytes(16L << 30).withMaxAge(Duration.ofDays(7)))) {
            j.open("replay", StartFrom.EARLIEST).close(); // keeps what it has not read, as a destination's cursor does
            printAppend("llmhub-records", appendRun(r -> {
                if (!j.append(r).await(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("append not written within 60 s");
                }
            }, () -> records.get((int) (i.getAndIncrement() & 1023)), writers, warmupS, measureS));
            // replay with decoding, from disk (behind the tail cache)
            long t0 = System.nanoTime();
            long n = 0;
            try (JournalReader<CallRecord> r = j.open("replay", StartFrom.EARLIEST)) {
                for (List<Entry<CallRecord>> b = r.poll(1000, 4 << 20, Duration.ZERO); !b.isEmpty() && n < 1_000_000;
                     b = r.poll(1000, 4 << 20, Duration.ZERO)) {
                    n += b.size();
                    r.ack(b);
                }
            }
            System.out.printf(Locale.ROOT, "RESULT replay_rps=%.0f replayed=%d%n", n / ((System.nanoTime() - t0) / 1e9), n);
        }
    }

    private static void fill(String name, Path dir, long bytes) throws Exception {
        List<byte[]> records = Records.bytes(1024);
        AtomicLong written = new AtomicLong();
        AtomicLong count = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        Exception[] failure = new Exception[1];
        try (Store s = Store.open(name, dir)) {
            for (int w = 0; w < 16; w++) {
                threads.add(threads().start(() -> {
                    try {
                        for (long i = count.getAndIncrement(); ; i = count.getAndIncrement()) {
                            byte[] r = records.get((int) (i & 1023));
                            if (written.addAndGet(r.length) > bytes) {
                                count.decrementAndGet();
                                return;
                            }
                            s.append(r);
                        }
                    } catch (Exception e) {
                        failure[0] = e;
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            if (failure[0] != null) {
                throw failure[0]; // an append that failed would count as lost below
            }
            System.out.println("FILLED " + count.get());
            System.out.flush();
            Thread.sleep(Duration.ofHours(1)); // killed here with SIGKILL: no close, no flush
        }
    }

    private static void recover(String name, Path dir, long expected) throws Exception {
        long t0 = System.nanoTime();
        Store s = Store.open(name, dir);
        long openNanos = System.nanoTime() - t0;
        String fullScan = "";
        if (name.equals("llmhub")) {
            // The worst case: no index file (the clean-close marker) for any segment, so every byte is checked.
            s.close();
            try (Stream<Path> files = Files.list(dir.resolve("segments"))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".index")).toList()) {
                    Files.delete(f);
                }
            }
            long t1 = System.nanoTime();
            s = Store.open(name, dir);
            fullScan = String.format(Locale.ROOT, " full_scan_ms=%.0f", (System.nanoTime() - t1) / 1e6);
        }
        try (Store store = s) {
            long t1 = System.nanoTime();
            long n = store.replay(r -> { });
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "RESULT open_ms=%.0f replay_rps=%.0f replayed=%d lost=%d%s%n",
                    openNanos / 1e6, n / ((t2 - t1) / 1e9), n, expected - n, fullScan);
        }
    }

    private static void codec(int warmupS, int measureS) throws Exception {
        List<CallRecord> records = Records.records(256);
        SmileFactory smile = new SmileFactory();
        smile.setCodec(CallRecordJson.mapper());
        List<byte[]> json = records.stream().map(CallRecordJson::bytes).toList();
        List<byte[]> smiled = new ArrayList<>();
        for (CallRecord r : records) {
            smiled.add(smileBytes(smile, r));
        }
        for (CallRecord r : records) {
            if (!r.equals(smileRead(smile, smileBytes(smile, r)))) {
                throw new IllegalStateException("Smile does not round-trip " + r);
            }
        }
        double jsonSize = json.stream().mapToInt(b -> b.length).average().orElseThrow();
        double smileSize = smiled.stream().mapToInt(b -> b.length).average().orElseThrow();
        Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("json_encode", i -> CallRecordJson.bytes(records.get(i & 255)).length);
        ops.put("json_decode", i -> CallRecordJson.read(json.get(i & 255)).usage().totalTokens());
        ops.put("smile_encode", i -> smileBytes(smile, records.get(i & 255)).length);
        ops.put("smile_decode", i -> smileRead(smile, smiled.get(i & 255)).usage().totalTokens());
        for (Op op : ops.values()) {
            time(op, warmupS); // warm every path before measuring any
        }
        StringBuilder line = new StringBuilder("RESULT");
        for (Map.Entry<String, Op> e : ops.entrySet()) {
            line.append(String.format(Locale.ROOT, " %s_us=%.2f", e.getKey(), time(e.getValue(), measureS)));
        }
        line.append(String.format(Locale.ROOT, " json_bytes=%.0f smile_bytes=%.0f", jsonSize, smileSize));
        System.out.println(line);
    }

    interface Op {
        long run(int i) throws IOException;
    }

    /** @return µs per call over {@code seconds} */
    private static double time(Op op, int seconds) throws IOException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long t0 = System.nanoTime();
        long sink = 0;
        int n = 0;
        while (System.nanoTime() < end) {
            for (int k = 0; k < 256; k++) {
                sink += op.run(n++);
            }
        }
        double us = (System.nanoTime() - t0) / 1e3 / n;
        if (sink == 42) {
            System.out.print("");
        }
        return us;
    }

    private static byte[] smileBytes(SmileFactory smile, CallRecord r) throws IOException {
        try (ByteArrayBuilder out = new ByteArrayBuilder(2048)) {
            try (JsonGenerator g = smile.createGenerator(out)) {
                CallRecordJson.write(g, r);
            }
            return out.toByteArray();
        }
    }

    private static CallRecord smileRead(SmileFactory smile, byte[] bytes) throws IOException {
        try (JsonParser p = smile.createParser(bytes)) {
            p.nextToken();
            return CallRecordJson.read(p);
        }
    }

    private static void heap() throws Exception {
        Path dir = Files.createTempDirectory("llmhub-heap");
        List<CallRecord> records = Records.records(1024);
        try (LocalJournal<CallRecord> j = LocalJournal.open(LocalJournal.Options.defaults(dir, new CallRecordCodec()))) {
            JournalReader<CallRecord> behind = j.open("behind", StartFrom.HEAD);
            JournalReader<CallRecord> current = j.open("current", StartFrom.HEAD);
            for (int i = 0; i < 100_000; i++) {
                // a distinct record each time (its own strings), as requests produce them
                CallRecord r = records.get(i & 1023);
                j.append(r.toBuilder().id("call-" + i).messages(List.of(Map.of("role", "user",
                        "content", new String(r.messages().getFirst().get("content").toString().toCharArray())))).build())
                        .await(Duration.ofSeconds(60));
                if (i % 100 == 99) {
                    current.ack(current.poll(1000, 8 << 20, Duration.ZERO));
                }
            }
            current.ack(current.poll(1000, 8 << 20, Duration.ZERO));
            long withBacklog = usedHeap();
            long lag = behind.lag().entries();
            for (List<Entry<CallRecord>> b = behind.poll(1000, 4 << 20, Duration.ZERO); !b.isEmpty();
                 b = behind.poll(1000, 4 << 20, Duration.ZERO)) {
                behind.ack(b);
            }
            long withoutBacklog = usedHeap();
            System.out.printf(Locale.ROOT, "RESULT backlog=%d heap_backlog_mb=%.1f heap_no_backlog_mb=%.1f%n",
                    lag, withBacklog / 1048576.0, withoutBacklog / 1048576.0);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ---- the orchestrator ---------------------------------------------------------------------

    private static void all(Path work, int warmup, int measure, double gib) throws Exception {
        Files.createDirectories(work);
        String w = String.valueOf(warmup);
        String m = String.valueOf(measure);
        System.out.printf(Locale.ROOT, "journal benchmark: %d CPUs, JDK %s, %d s warm-up + %d s measured per run, "
                + "records of %.0f bytes, virtual-thread writers%n%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), warmup, measure,
                Records.bytes(64).stream().mapToInt(b -> b.length).average().orElseThrow());

        String sections = System.getProperty("bench.sections", "1234");
        if (sections.contains("1")) {
            commitStrategies(work, w, m);
        }
        if (sections.contains("2")) {
            stores(work, w, m, gib);
        }
        if (sections.contains("3")) {
            codecs(work, w, m);
        }
        if (sections.contains("4")) {
            heapTable(work);
        }
    }

    private static void commitStrategies(Path work, String w, String m) throws Exception {
        System.out.println("1. group commit in LocalJournal (leader/follower): latency with one writer, throughput with 16");
        System.out.printf("%-34s %12s %10s %10s %10s%n", "durability, writers", "appends/s", "p50 µs", "p99 µs", "p99.9 µs");
        for (String durability : List.of("process", "fsync")) {
            for (int writers : new int[] {1, 16}) {
                Map<String, String> r = child(work, List.of("-Dbench.durability=" + durability),
                        "append", "llmhub", work.resolve("commit").toString(), String.valueOf(writers), w, m);
                deleteTree(work.resolve("commit"));
                System.out.printf("%-34s %12s %10s %10s %10s%n", durability + ", " + writers,
                        r.get("rps"), r.get("p50_us"), r.get("p99_us"), r.get("p999_us"));
            }
        }
    }

    private static void stores(Path work, String w, String m, double gib) throws Exception {
        System.out.println();
        System.out.println("2. stores at durability process: 16 writers appending ~2 KB records; then 1 GiB written, the process killed");
        System.out.println("   with SIGKILL, and a new JVM opening the store (recovery) and replaying everything (page cache warm)");
        System.out.printf("%-40s %11s %9s %9s %13s %12s %8s%n", "store", "appends/s", "p99 µs", "p99.9 µs",
                "open 1 GiB ms", "replay rec/s", "lost");
        List<String> stores = List.of(System.getProperty("bench.stores", String.join(",", STORES)).split(","));
        for (String store : stores) {
            // Chronicle's write lock spins: 16 spinning virtual threads hold both carriers and the holder never
            // runs again (UnrecoverableTimeoutException after 15 s). It gets platform threads, as it requires.
            List<String> jvm = store.equals("chronicle") ? List.of("-Dbench.platformThreads=true") : List.of();
            Map<String, String> a = child(work, jvm, "append", store, work.resolve(store).toString(), "16", w, m);
            deleteTree(work.resolve(store));
            Map<String, String> r = fillKillRecover(work, jvm, store, (long) (gib * (1L << 30)));
            deleteTree(work.resolve(store + "-fill"));
            System.out.printf("%-40s %11s %9s %9s %13s %12s %8s%n", Store.describe(store) + (jvm.isEmpty() ? "" : " *"),
                    a.get("rps"), a.get("p99_us"), a.get("p999_us"), r.get("open_ms"), r.get("replay_rps"), r.get("lost"));
            if (r.containsKey("full_scan_ms")) {
                System.out.printf("%-40s %11s %9s %9s %13s%n", "  the same, every index file deleted", "", "", "", r.get("full_scan_ms"));
            }
        }
        if (stores.contains("chronicle")) {
            System.out.println("  * 16 platform threads: with virtual threads its spinning write lock starves the lock holder");
        }
        if (stores.contains("rocksdb")) {
            // JNI calls pin a virtual thread's carrier: RocksDB again with platform threads, as a dedicated pool would call it
            Map<String, String> rp = child(work, List.of("-Dbench.platformThreads=true"), "append", "rocksdb",
                    work.resolve("rocksdb").toString(), "16", w, m);
            deleteTree(work.resolve("rocksdb"));
            System.out.printf("%-40s %11s %9s %9s%n", "RocksDB, 16 platform threads", rp.get("rps"), rp.get("p99_us"), rp.get("p999_us"));
        }
        Map<String, String> rec = child(work, List.of(), "append-records", work.resolve("records").toString(), "16", w, m);
        deleteTree(work.resolve("records"));
        System.out.printf("%-40s %11s %9s %9s %13s %12s %8s%n", "llmhub LocalJournal<CallRecord> (+JSON)", rec.get("rps"),
                rec.get("p99_us"), rec.get("p999_us"), "", rec.get("replay_rps"), "");

    }

    private static void codecs(Path work, String w, String m) throws Exception {
        System.out.println();
        System.out.println("3. the record codec: µs per ~2 KB record, one thread");
        Map<String, String> c = child(work, List.of(), "codec", w, m);
        System.out.printf("%-8s %10s %10s %8s%n", "format", "encode µs", "decode µs", "bytes");
        System.out.printf("%-8s %10s %10s %8s%n", "JSON", c.get("json_encode_us"), c.get("json_decode_us"), c.get("json_bytes"));
        System.out.printf("%-8s %10s %10s %8s%n", "Smile", c.get("smile_encode_us"), c.get("smile_decode_us"), c.get("smile_bytes"));

    }

    private static void heapTable(Path work) throws Exception {
        System.out.println();
        System.out.println("4. heap (after GC, -Xmx512m, 16 MiB tail cache) with a reader 100,000 records behind, then caught up");
        Map<String, String> h = child(work, List.of("-Xms64m", "-Xmx512m"), "heap");
        System.out.printf("backlog %s records: %s MiB used; no backlog: %s MiB used%n", h.get("backlog"),
                h.get("heap_backlog_mb"), h.get("heap_no_backlog_mb"));
    }

    private static Map<String, String> fillKillRecover(Path work, List<String> jvm, String store, long bytes) throws Exception {
        Path dir = work.resolve(store + "-fill");
        Process p = start(work, jvm, "fill", store, dir.toString(), String.valueOf(bytes));
        String filled = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("FILLED ")) {
                    filled = line.substring(7).trim();
                    break;
                }
            }
            p.destroyForcibly(); // SIGKILL: what a crash or the OOM killer does
            p.waitFor();
        }
        if (filled == null) {
            System.out.println("   (fill " + store + " failed: " + failure(work) + ")");
            return Map.of();
        }
        return child(work, List.of(), "recover", store, dir.toString(), filled);
    }

    private static Map<String, String> child(Path work, List<String> jvm, String... args) throws Exception {
        Process p = start(work, jvm, args);
        Map<String, String> result = new LinkedHashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    for (String kv : line.substring(7).trim().split(" ")) {
                        String[] pair = kv.split("=", 2);
                        result.put(pair[0], pair[1]);
                    }
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 || result.isEmpty()) {
            System.out.println("   (" + String.join(" ", args) + " failed with exit " + code + ": " + failure(work) + ")");
            result.putIfAbsent("rps", "failed");
        }
        return result;
    }

    /** @return the exception lines of the last child's stderr */
    private static String failure(Path work) throws IOException {
        List<String> lines = Files.readAllLines(work.resolve("child.err"));
        return lines.stream().filter(l -> l.contains("Exception") || l.contains("Error")).limit(3)
                .reduce((a, b) -> a + " | " + b).orElse(lines.isEmpty() ? "no output" : lines.getLast());
    }

    private static Process start(Path work, List<String> jvm, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvm.stream().noneMatch(a -> a.startsWith("-Xm"))) {
            cmd.add("-Xms1g");
            cmd.add("-Xmx2g");
        }
        cmd.addAll(jvm);
        cmd.addAll(chronicleFlags());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Bench.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(work.resolve("child.err").toFile()).start();
    }

    /** What Chronicle needs on JDK 17+ (its README), and no usage reporting over the network. */
    private static List<String> chronicleFlags() {
        return List.of("-Dchronicle.analytics.disable=true", "-Djava.util.logging.config.file=/dev/null",
                "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
                "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
