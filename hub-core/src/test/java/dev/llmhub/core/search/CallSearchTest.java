package dev.llmhub.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.ApiKeyInfo;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.core.delivery.RecordDelivery;
import dev.llmhub.core.journal.Append;
import dev.llmhub.core.journal.Entry;
import dev.llmhub.core.journal.LocalJournal;
import dev.llmhub.core.journal.TestClock;
import dev.llmhub.core.record.CallRecordCodec;
import dev.llmhub.core.record.RandomRecords;
import dev.llmhub.core.record.SampleRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's search over a real journal on disk (no tail cache, so the byte pre-filter is used):
 * newest first, paged, every filter, a time budget, lookups by id, the live tail, and the pre-filter
 * never refusing a record the filter accepts.
 */
class CallSearchTest {
    private static final int N = 2_000;
    private static final Duration BUDGET = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T10:00:00Z"));
    private LocalJournal<CallRecord> journal;
    private CallSearch search;
    /** Offsets below this are "delivered" to lane "es", the rest "pending". */
    private long deliveredBelow = 100;

    @BeforeEach
    void open() {
        journal = LocalJournal.open(LocalJournal.Options.defaults(dir, new CallRecordCodec())
                .withSegmentBytes(1 << 20).withTailCacheBytes(0).withClock(clock));
        search = new CallSearch(journal, (offset, status) -> Map.of("es",
                offset < deliveredBelow ? RecordDelivery.State.DELIVERED : RecordDelivery.State.PENDING));
    }

    @AfterEach
    void close() {
        journal.close();
    }

    private static CallRecord record(int i) {
        CallRecord.Builder b = (i % 5 == 0 ? SampleRecords.rateLimitedFailure() : SampleRecords.seedSuccess());
        return b.id("call-%05d".formatted(i))
                .model(i % 2 == 0 ? "gpt-4o" : "gpt-3.5-turbo")
                .modelGroup(i % 2 == 0 ? "gpt-4o" : "gpt-3.5-turbo")
                .user("user-" + (i % 7))
                .endUser(null)
                .apiKey(new ApiKeyInfo(hash(i % 3), Optional.of("team-" + (i % 3))))
                .metadata(Map.of("session_id", "session-%05d".formatted(i), "tags", List.of("t" + (i % 4))))
                .build();
    }

    private static String hash(int team) {
        return "%08x".formatted(0xabc00000L + team).repeat(8);
    }

    private void fill(int n) throws InterruptedException {
        Append last = null;
        for (int i = 0; i < n; i++) {
            last = journal.append(record(i));
        }
        assertTrue(last.await(Duration.ofSeconds(30)));
    }

    private static CallFilter filter(String status, String model, String user, String key, String destination,
                                     String outcome, String text) {
        return new CallFilter(Optional.empty(), Optional.ofNullable(status).map(s -> CallStatus.valueOf(s)),
                Optional.ofNullable(model), Optional.ofNullable(user), Optional.ofNullable(key),
                Optional.ofNullable(destination), Optional.ofNullable(outcome).flatMap(RecordDelivery.State::fromWire),
                Optional.empty(), Optional.empty(), Optional.ofNullable(text));
    }

    /** Every match, page after page. */
    private List<Entry<CallRecord>> all(CallFilter f, int limit) {
        List<Entry<CallRecord>> out = new ArrayList<>();
        OptionalLong before = OptionalLong.empty();
        do {
            CallSearch.Page p = search.newest(f, before, limit, BUDGET);
            assertTrue(p.complete());
            out.addAll(p.calls());
            before = p.nextBefore();
        } while (before.isPresent());
        return out;
    }

    @Test
    void pagesNewestFirstOverEverythingRetained() throws Exception {
        fill(N);
        CallSearch.Page first = search.newest(CallFilter.ALL, OptionalLong.empty(), 100, BUDGET);
        assertEquals(100, first.calls().size());
        assertEquals(N - 1, first.calls().getFirst().offset());
        assertEquals(N - 100, first.calls().getLast().offset());
        assertEquals(N - 100, first.nextBefore().getAsLong());
        CallSearch.Page second = search.newest(CallFilter.ALL, first.nextBefore(), 100, BUDGET);
        assertEquals(N - 101, second.calls().getFirst().offset());

        List<Entry<CallRecord>> every = all(CallFilter.ALL, 700);
        assertEquals(N, every.size());
        for (int i = 1; i < every.size(); i++) {
            assertEquals(every.get(i - 1).offset() - 1, every.get(i).offset(), "newest first, nothing skipped");
        }
    }

    @Test
    void everyFilter() throws Exception {
        fill(N);
        assertEquals(N / 5, all(filter("FAILURE", null, null, null, null, null, null), 100).size());
        assertTrue(all(filter("FAILURE", null, null, null, null, null, null), 100).stream()
                .allMatch(e -> e.value().status() == CallStatus.FAILURE));
        assertEquals(N / 2, all(filter(null, "GPT-4O", null, null, null, null, null), 1000).size());
        List<Entry<CallRecord>> user3 = all(filter(null, null, "USER-3", null, null, null, null), 1000);
        assertEquals((int) java.util.stream.IntStream.range(0, N).filter(i -> i % 7 == 3).count(), user3.size());
        assertEquals((int) java.util.stream.IntStream.range(0, N).filter(i -> i % 3 == 1).count(),
                all(filter(null, null, null, "team-1", null, null, null), 1000).size());
        String hashOfTeam1 = hash(1);
        assertEquals(all(filter(null, null, null, "team-1", null, null, null), 5000).size(),
                all(filter(null, null, null, hashOfTeam1.substring(0, 12), null, null, null), 5000).size());
        assertEquals(0, all(filter(null, null, null, hashOfTeam1.substring(0, 5), null, null, null), 5000).size(),
                "a hash prefix needs 6 characters");

        List<Entry<CallRecord>> bySession = all(filter(null, null, null, null, null, null, "Session-01234"), 100);
        assertEquals(List.of("call-01234"), bySession.stream().map(e -> e.value().id()).toList());
        assertEquals(List.of("call-01234"), all(filter(null, null, null, null, null, null, "session_id=01234"), 100)
                .stream().map(e -> e.value().id()).toList());
        assertEquals(0, all(filter(null, null, null, null, null, null, "nope=01234"), 100).size());
        assertEquals(N / 4, all(filter(null, null, null, null, null, null, "tags=t2"), 5000).size());
        assertEquals(List.of("call-01321"), all(filter(null, null, null, null, null, null, "call-01321"), 10)
                .stream().map(e -> e.value().id()).toList());
        assertEquals(List.of("call-01321"), all(CallFilter.byId("call-01321"), 10).stream().map(e -> e.value().id()).toList());

        assertEquals(100, all(filter(null, null, null, null, "es", "delivered", null), 1000).size());
        assertEquals(N - 100, all(filter(null, null, null, null, null, "pending", null), 1000).size());
        assertEquals(0, all(filter(null, null, null, null, "otel", null, null), 1000).size(), "no such lane");
        deliveredBelow = N;
        assertEquals(N, all(filter(null, null, null, null, "es", "delivered", null), 1000).size());

        // conditions combine
        List<Entry<CallRecord>> both = all(filter("FAILURE", "gpt-4o", "user-0", null, null, null, null), 1000);
        assertEquals((int) java.util.stream.IntStream.range(0, N).filter(i -> i % 10 == 0 && i % 7 == 0).count(),
                both.size());
    }

    @Test
    void aTimeRangeNarrowsTheScan() throws Exception {
        fill(100);
        Instant later = clock.instant().plus(Duration.ofHours(1));
        clock.advance(Duration.ofHours(1));
        Append last = null;
        for (int i = 100; i < 150; i++) {
            last = journal.append(record(i));
        }
        assertTrue(last.await(Duration.ofSeconds(10)));
        clock.advance(Duration.ofHours(1));
        for (int i = 150; i < 160; i++) {
            last = journal.append(record(i));
        }
        assertTrue(last.await(Duration.ofSeconds(10)));
        CallFilter range = new CallFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(later.minusSeconds(60)),
                Optional.of(later.plusSeconds(60)), Optional.empty());
        List<Entry<CallRecord>> got = all(range, 1000);
        assertEquals(50, got.size());
        assertEquals(149, got.getFirst().offset());
        assertEquals(100, got.getLast().offset());
    }

    @Test
    void aSpentBudgetReturnsWhatWasFoundAndWhereToGoOn() throws Exception {
        fill(N);
        CallFilter rare = filter(null, null, null, null, null, null, "session-00007");
        CallSearch.Page p = search.newest(rare, OptionalLong.empty(), 10, Duration.ZERO);
        assertFalse(p.complete());
        assertTrue(p.calls().isEmpty());
        assertTrue(p.nextBefore().getAsLong() < N);
        OptionalLong before = p.nextBefore();
        List<String> found = new ArrayList<>();
        while (before.isPresent()) {
            CallSearch.Page next = search.newest(rare, before, 10, Duration.ZERO);
            next.calls().forEach(e -> found.add(e.value().id()));
            before = next.nextBefore();
        }
        assertEquals(List.of("call-00007"), found);
    }

    @Test
    void findsOneCallByIdWithOrWithoutAHint() throws Exception {
        fill(1_000);
        assertEquals(777, search.find("call-00777", OptionalLong.of(777), BUDGET).orElseThrow().offset());
        assertEquals(777, search.find("call-00777", OptionalLong.of(12), BUDGET).orElseThrow().offset(), "a wrong hint");
        assertEquals(777, search.find("call-00777", OptionalLong.empty(), BUDGET).orElseThrow().offset());
        assertTrue(search.find("call-99999", OptionalLong.empty(), BUDGET).isEmpty());
        assertTrue(search.find("call-0077", OptionalLong.empty(), BUDGET).isEmpty(), "ids match exactly");
    }

    @Test
    void theTailReturnsNewMatchesOnly() throws Exception {
        fill(10);
        long seen = search.newestOffset();
        assertEquals(9, seen);
        assertTrue(search.after(seen, CallFilter.ALL, 100).calls().isEmpty());
        Append last = null;
        for (int i = 10; i < 20; i++) {
            last = journal.append(record(i));
        }
        assertTrue(last.await(Duration.ofSeconds(10)));
        CallSearch.Tail t = search.after(seen, filter("FAILURE", null, null, null, null, null, null), 100);
        assertEquals(List.of("call-00010", "call-00015"), t.calls().stream().map(e -> e.value().id()).toList());
        assertEquals(19, t.last());
    }

    @Test
    void thePrefilterNeverRefusesARecordTheFilterAccepts() {
        RandomRecords records = new RandomRecords(12);
        Random random = new Random(34);
        CallRecordCodec codec = new CallRecordCodec();
        int checked = 0;
        for (int i = 0; i < 3_000; i++) {
            CallRecord r = records.next();
            byte[] bytes = codec.encode(r);
            List<CallFilter> filters = new ArrayList<>();
            filters.add(CallFilter.byId(r.id()));
            filters.add(filter(null, flipCase(r.model(), random), null, null, null, null, null));
            r.user().ifPresent(u -> filters.add(filter(null, null, flipCase(u, random), null, null, null, null)));
            r.apiKey().ifPresent(k -> {
                k.alias().ifPresent(a -> filters.add(filter(null, null, null, flipCase(a, random), null, null, null)));
                filters.add(filter(null, null, null, k.hash().substring(0, 6 + random.nextInt(20)), null, null, null));
            });
            filters.add(filter(r.status().name(), null, null, null, null, null, null));
            for (Map.Entry<String, Object> m : r.metadata().entrySet()) {
                if (m.getValue() instanceof String || m.getValue() instanceof Integer || m.getValue() instanceof Boolean) {
                    String v = String.valueOf(m.getValue());
                    String part = v.isEmpty() ? v : v.substring(random.nextInt(v.length()));
                    filters.add(filter(null, null, null, null, null, null, flipCase(part, random)));
                    filters.add(filter(null, null, null, null, null, null, m.getKey() + "=" + part));
                }
            }
            String idPart = r.id().substring(random.nextInt(r.id().length()));
            filters.add(filter(null, null, null, null, null, null, idPart.toUpperCase(java.util.Locale.ROOT)));
            for (CallFilter f : filters) {
                if (f.matches(r, 0, Map::of)) {
                    checked++;
                    assertTrue(f.prefilter().test(bytes), "the pre-filter refused a match: " + f);
                }
            }
        }
        assertTrue(checked > 10_000, "checked " + checked);
    }

    private static String flipCase(String s, Random random) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return b.toString();
    }
}
