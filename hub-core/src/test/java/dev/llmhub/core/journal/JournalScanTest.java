package dev.llmhub.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Journal#scan}: the console's search reads a range and skips, undecoded, what cannot match. */
class JournalScanTest {
    @TempDir
    Path dir;

    /** Counts decodes, to prove skipped entries were never decoded. */
    private static final class CountingCodec implements JournalCodec<String> {
        final AtomicInteger decoded = new AtomicInteger();
        private final StringCodec inner = new StringCodec();

        @Override
        public byte[] encode(String value) {
            return inner.encode(value);
        }

        @Override
        public String decode(byte[] bytes) {
            decoded.incrementAndGet();
            return inner.decode(bytes);
        }

        @Override
        public long estimateSize(String value) {
            return inner.estimateSize(value);
        }
    }

    private static final Predicate<byte[]> HAS_MATCH = b -> new String(b, StandardCharsets.UTF_8).contains("match");

    private static void fill(Journal<String> j, int n) throws InterruptedException {
        Append last = null;
        for (int i = 0; i < n; i++) {
            last = j.append((i % 10 == 3 ? "match-" : "other-") + i);
        }
        assertTrue(last.await(Duration.ofSeconds(10)));
    }

    @Test
    void skipsWhatThePrefilterRefusesWithoutDecodingIt() throws Exception {
        CountingCodec codec = new CountingCodec();
        try (LocalJournal<String> j = LocalJournal.open(LocalJournal.Options.defaults(dir, codec)
                .withSegmentBytes(16 << 10).withTailCacheBytes(0))) {
            fill(j, 3_000);
            assertTrue(j.stats().segments() > 1, "the scan crosses segments");
            codec.decoded.set(0);
            List<Entry<String>> got = new ArrayList<>();
            j.scan(0, 3_000, HAS_MATCH, got::add);
            assertEquals(300, got.size());
            assertEquals(300, codec.decoded.get(), "only the matching entries were decoded");
            for (Entry<String> e : got) {
                assertEquals("match-" + e.offset(), e.value());
            }

            got.clear();
            j.scan(1_000, 1_500, HAS_MATCH, got::add);
            assertEquals(50, got.size());
            assertEquals(1_003, got.getFirst().offset());
            assertEquals(1_493, got.getLast().offset());

            got.clear();
            j.scan(2_990, 9_999, b -> true, got::add); // past the head: stops at the head
            assertEquals(10, got.size());
        }
    }

    @Test
    void entriesFromTheTailCacheArePassedOnForTheCallerToCheck() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(LocalJournal.Options.defaults(dir, new StringCodec()))) {
            fill(j, 200);
            List<Entry<String>> got = new ArrayList<>();
            j.scan(0, 200, HAS_MATCH, got::add);
            // cached values are already decoded: the pre-filter is not applied, nothing matching is missed
            assertTrue(got.stream().filter(e -> e.value().startsWith("match")).count() == 20, got.toString());
            assertTrue(got.stream().allMatch(e -> e.offset() < 200));
        }
    }

    @Test
    void aMemoryJournalScansItsRange() throws Exception {
        try (MemoryJournal<String> j = new MemoryJournal<>(1 << 20, new StringCodec(), JournalObserver.NONE,
                Clock.systemUTC())) {
            fill(j, 100);
            List<Entry<String>> got = new ArrayList<>();
            j.scan(40, 60, HAS_MATCH, got::add);
            assertEquals(20, got.size());
            assertEquals(40, got.getFirst().offset());
            assertEquals(59, got.getLast().offset());
        }
    }
}
