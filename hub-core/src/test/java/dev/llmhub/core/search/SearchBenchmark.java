package dev.llmhub.core.search;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.core.journal.Append;
import dev.llmhub.core.journal.LocalJournal;
import dev.llmhub.core.record.CallRecordCodec;
import dev.llmhub.core.record.SampleRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * What the console's search costs over a full journal on disk (run by {@code bench/console-search.sh}):
 * the newest page, a page behind a filter the byte pre-filter can use (a call id: no decoding but the
 * match), a filter it cannot use (every record decoded), and one call by id with and without its offset.
 * Each is repeated until the JIT has settled; the median of the last runs is printed.
 */
public final class SearchBenchmark {
    private SearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path dir = Files.createTempDirectory("search-bench");
        CallRecordCodec codec = new CallRecordCodec();
        try (LocalJournal<CallRecord> journal = LocalJournal.open(LocalJournal.Options.defaults(dir, codec)
                .withMaxDiskBytes(8L << 30))) {
            long t0 = System.nanoTime();
            Append last = null;
            String oldestId = null;
            long middle = records / 2;
            for (int i = 0; i < records; i++) {
                CallRecord r = (i % 10 == 0 ? SampleRecords.rateLimitedFailure() : SampleRecords.seedSuccess())
                        .id("call-" + java.util.UUID.randomUUID()).user("user-" + (i % 100))
                        .metadata(Map.of("session_id", "session-" + i)).build();
                if (i == 0) {
                    oldestId = r.id();
                }
                last = journal.append(r);
            }
            last.await(Duration.ofMinutes(5));
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            long bytes = journal.stats().sizeBytes();
            System.out.printf("journal: %,d records, %.1f MiB on disk (filled in %.1f s)%n", records, bytes / 1048576.0,
                    fillSeconds);
            CallSearch search = new CallSearch(journal, (o, s) -> Map.of());
            String id = oldestId; // the oldest: the search reads the whole journal
            Duration budget = Duration.ofMinutes(5);
            CallFilter byId = CallFilter.byId(id);
            CallFilter successes = new CallFilter(Optional.empty(), Optional.of(CallStatus.SUCCESS), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of("user-7"));
            CallFilter sessionOnly = new CallFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of("session_id=session-" + middle));
            report("newest page of 50, no filter", 0, () ->
                    search.newest(CallFilter.ALL, OptionalLong.empty(), 50, budget).calls().size());
            report("the oldest call by id, without its offset (byte pre-filter)", bytes, () ->
                    search.newest(byId, OptionalLong.empty(), 1, budget).calls().size());
            report("metadata name=value over everything (byte pre-filter)", bytes, () ->
                    search.newest(sessionOnly, OptionalLong.empty(), 50, budget).calls().size());
            report("one call by id with its offset", 0, () ->
                    search.find(id, OptionalLong.of(0), budget).isPresent() ? 1 : 0);
            report("500 successes of user-7 (needle user-7, then decode)", 0, () ->
                    search.newest(successes, OptionalLong.empty(), 500, budget).calls().size());
            CallFilter decodeAll = new CallFilter(Optional.empty(), Optional.of(CallStatus.SUCCESS), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.of("nowhere"), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
            report("a filter with no needle: every record decoded", bytes, () ->
                    search.newest(decodeAll, OptionalLong.empty(), 50, budget).calls().size());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** @param journalBytes what the search reads (prints the rate), 0 when it stops early */
    private static void report(String what, long journalBytes, Supplier<Integer> run) {
        int rounds = 7;
        double[] ms = new double[rounds];
        int found = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            found = run.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double[] settled = Arrays.copyOfRange(ms, 2, rounds); // the first runs warm the JIT up
        Arrays.sort(settled);
        double median = settled[settled.length / 2];
        System.out.printf("%-62s %9.1f ms  found %d%s%n", what, median, found, journalBytes == 0 ? ""
                : String.format("; read the whole journal at %.0f MiB/s", journalBytes / 1048576.0 / (median / 1000)));
    }
}
