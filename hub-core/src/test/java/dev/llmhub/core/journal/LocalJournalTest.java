package dev.llmhub.core.journal;

import static dev.llmhub.core.journal.JournalContract.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The local journal: the journals' contract, and its own reads, persistence, limits and failures. */
class LocalJournalTest extends LocalJournalFixture implements JournalContract {
    LocalJournal.Options<String> options() {
        return fixtureOptions().withSegmentBytes(4096).withTailCacheBytes(1024);
    }

    @Override
    public Journal<String> emptyJournal(String what, int partitions) {
        return LocalJournal.open(options());
    }

    static void appendAll(Journal<String> j, String... values) throws InterruptedException {
        for (String v : values) {
            assertTrue(j.append(v).await(WAIT));
        }
    }

    static String[] range(String prefix, int from, int to) {
        return Stream.iterate(from, i -> i + 1).limit(to - from).map(i -> prefix + i).toArray(String[]::new);
    }

    @Test
    void entriesAreReadInOrderFromTheCacheAndFromDisk() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            JournalReader<String> r = j.open("es", StartFrom.EARLIEST);
            appendAll(j, range("v", 0, 500));
            assertTrue(j.stats().segments() > 1, "4 KiB segments rolled");
            List<String> seen = new ArrayList<>();
            long expected = 0;
            while (seen.size() < 500) {
                List<Entry<String>> batch = r.poll(37, 1 << 20, Duration.ZERO);
                assertFalse(batch.isEmpty());
                for (Entry<String> e : batch) {
                    assertEquals(expected++, e.offset());
                    assertEquals(e.value().length(), e.encodedSize());
                }
                seen.addAll(values(batch));
                r.ack(batch);
            }
            assertEquals(List.of(range("v", 0, 500)), seen);
            assertEquals(500, r.committed());
            assertEquals(new JournalReader.Lag(0, 0, java.util.Optional.empty()), r.lag());
            assertTrue(r.poll(10, 1000, Duration.ZERO).isEmpty());
        }
    }

    /** Entries kept past the young generation cost every collection a copy: only what a reader at the head needs stays. */
    @Test
    void theTailCacheHoldsOnlyWhatAReaderAtTheHeadHasStillToRead() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options().withTailCacheBytes(1 << 20))) {
            appendAll(j, range("x", 0, 10));
            assertEquals(0, cached(j), "no reader: nothing cached");
            JournalReader<String> head = j.open("es", StartFrom.HEAD);
            appendAll(j, "a", "b");
            assertEquals(2, cached(j));
            assertEquals(List.of("a", "b"), values(head.poll(10, 1000, WAIT)));
            JournalReader<String> behind = j.open("backfill", StartFrom.EARLIEST); // reads the files
            appendAll(j, "c");
            assertEquals(1, cached(j), "a and b were read by the reader at the head");
            assertEquals(List.of(range("x", 0, 10)), values(behind.poll(10, 1 << 20, WAIT)));
            assertEquals(List.of("c"), values(head.poll(10, 1000, WAIT)));
        }
    }

    @Test
    void entriesFromTheTailCacheCarryTheirEncodingEntriesFromTheFilesDoNot() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options().withTailCacheBytes(1 << 20))) {
            JournalReader<String> head = j.open("file", StartFrom.HEAD);
            appendAll(j, "a", "b");
            List<Entry<String>> fromCache = head.poll(10, 1000, WAIT);
            assertEquals(2, fromCache.size());
            for (Entry<String> e : fromCache) {
                assertEquals(e.value(), new String(e.encoded(), java.nio.charset.StandardCharsets.UTF_8));
            }
            appendAll(j, "c"); // the cache lets go of a and b, read by the reader at the head
            JournalReader<String> behind = j.open("backfill", StartFrom.EARLIEST);
            List<Entry<String>> fromFiles = behind.poll(2, 1000, WAIT);
            assertEquals(List.of("a", "b"), values(fromFiles));
            for (Entry<String> e : fromFiles) {
                assertNull(e.encoded(), "read back from disk: " + e);
            }
        }
    }

    private static int cached(LocalJournal<String> j) {
        j.state.lock();
        try {
            return j.cache.size();
        } finally {
            j.state.unlock();
        }
    }

    @Test
    void aCursorResumesAtItsCommittedPositionAfterAReopen() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            appendAll(j, range("v", 0, 20));
            JournalReader<String> r = j.open("es/prod \"eu\"", StartFrom.EARLIEST);
            List<Entry<String>> first = r.poll(5, 1000, WAIT);
            List<Entry<String>> second = r.poll(5, 1000, WAIT);
            r.ack(first);
            assertEquals(5, r.committed()); // the second batch is read but not acknowledged
        }
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            JournalReader<String> r = j.open("es/prod \"eu\"", StartFrom.HEAD);
            assertEquals(5, r.committed());
            assertEquals(List.of(range("v", 5, 20)), values(r.poll(100, 1 << 20, WAIT)));
            assertEquals(List.of(new CursorInfo("es/prod \"eu\"", 5, true, clock.instant())), j.cursors());
            assertThrows(IllegalStateException.class, () -> j.open("es/prod \"eu\"", StartFrom.HEAD));
            assertThrows(IllegalStateException.class, () -> j.deleteCursor("es/prod \"eu\""));
            r.close();
            j.deleteCursor("es/prod \"eu\"");
            assertEquals(List.of(), j.cursors());
        }
    }

    @Test
    void seekReplaysFromAnOffsetOrATime() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            j.open("archive", StartFrom.EARLIEST); // holds every segment back from retention
            for (int i = 0; i < 300; i++) {
                clock.advance(Duration.ofSeconds(1));
                appendAll(j, "v" + i);
            }
            JournalReader<String> r = j.open("lane", StartFrom.HEAD);
            long at = j.offsetAt(Instant.parse("2026-11-30T10:02:00Z"));
            assertEquals(119, at); // v119 was appended at 10:02:00
            r.seek(at);
            assertEquals(119, r.committed());
            assertEquals(List.of("v119", "v120"), values(r.poll(2, 1000, WAIT)));
            r.seek(-5);
            assertEquals(0, r.position());
            assertEquals(300, j.offsetAt(Instant.parse("2026-12-01T00:00:00Z")));
            assertEquals(0, j.offsetAt(Instant.EPOCH));
            assertEquals(List.of("v10", "v11", "v12"), values(j.read(10, 3, 1 << 20)));
            assertEquals(List.of("v10"), values(j.read(10, 3, 1)), "at least one entry, whatever maxBytes");
        }
    }

    @Test
    void sixteenThreadsAppendingConcurrentlyGetDenseOffsetsWithNothingLostOrDuplicated() throws Exception {
        int threads = 16;
        int perThread = 400;
        Set<Long> offsets = ConcurrentHashMap.newKeySet();
        try (LocalJournal<String> j = LocalJournal.open(options().withSegmentBytes(64 * 1024).withTailCacheBytes(0))) {
            JournalReader<String> r = j.open("all", StartFrom.EARLIEST);
            CountDownLatch start = new CountDownLatch(1);
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    ex.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            Append a = j.append("t" + id + "-" + i);
                            assertTrue(a.await(WAIT));
                            assertTrue(offsets.add(a.offset()));
                        }
                        return null;
                    });
                }
                start.countDown();
            }
            assertEquals(threads * perThread, offsets.size());
            Set<String> seen = new HashSet<>();
            long expected = 0;
            for (List<Entry<String>> b = r.poll(1000, 1 << 20, Duration.ZERO); !b.isEmpty(); b = r.poll(1000, 1 << 20, Duration.ZERO)) {
                for (Entry<String> e : b) {
                    assertEquals(expected++, e.offset());
                    assertTrue(seen.add(e.value()), "duplicate " + e.value());
                }
            }
            assertEquals(threads * perThread, seen.size());
            assertEquals(threads * perThread, j.stats().appended());
            assertEquals(threads * perThread, observer.written.get());
        }
    }

    @Test
    void aReaderFollowingTheWritersOnDiskSeesEveryEntryOnceAndNothingCorrupt() throws Exception {
        int writers = 4;
        int perWriter = 2000;
        try (LocalJournal<String> j = LocalJournal.open(options().withSegmentBytes(2048).withTailCacheBytes(0))) {
            JournalReader<String> r = j.open("follower", StartFrom.HEAD);
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Long> reader = ex.submit(() -> {
                    long expected = 0;
                    while (expected < writers * perWriter) {
                        List<Entry<String>> b = r.poll(50, 1 << 20, WAIT);
                        for (Entry<String> e : b) {
                            assertEquals(expected++, e.offset());
                        }
                        r.ack(b);
                    }
                    return r.takeCorrupt();
                });
                for (int w = 0; w < writers; w++) {
                    int id = w;
                    ex.submit(() -> {
                        for (int i = 0; i < perWriter; i++) {
                            assertTrue(j.append("w" + id + "-" + i + "-" + "x".repeat(i % 50)).await(WAIT));
                        }
                        return null;
                    });
                }
                assertEquals(0, reader.get());
            }
            assertEquals(writers * perWriter, r.committed());
        }
    }

    @Test
    void fsyncModeSyncsBeforeAcknowledging() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options().withDurability(Durability.FSYNC))) {
            appendAll(j, "a", "b", "c");
            assertTrue(observer.syncs.get() >= 1);
            assertEquals("fsync", j.stats().durability());
        }
    }

    @Test
    void anEntryTheCodecRefusesFailsAloneAndIsCounted() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            Append bad = j.append("fail me");
            Append good = j.append("fine");
            JournalWriteException e = assertThrows(JournalWriteException.class, () -> bad.await(WAIT));
            assertTrue(e.getMessage().contains("cannot encode"), e.getMessage());
            assertTrue(good.await(WAIT));
            assertEquals(1, j.stats().writeFailures());
            assertEquals(1, observer.writeFailed.get());
            assertEquals(List.of("fine"), values(j.read(0, 10, 1000)));
        }
    }

    @Test
    void anEntryLargerThanTheReadWindowIsCheckedAndReadInPieces() throws Exception {
        String big = "é".repeat(FrameReader.WINDOW); // 2 bytes each: twice the window
        try (LocalJournal<String> j = LocalJournal.open(options().withTailCacheBytes(0))) {
            JournalReader<String> r = j.open("lane", StartFrom.EARLIEST);
            appendAll(j, "before", big, "after");
            List<String> read = new ArrayList<>();
            while (read.size() < 3) {
                read.addAll(values(r.poll(10, Long.MAX_VALUE, WAIT)));
            }
            assertEquals(List.of("before", big, "after"), read);
        }
        SegmentFiles.Framed large = null;
        for (Path segment : SegmentFiles.segments(dir)) {
            for (SegmentFiles.Framed f : SegmentFiles.frames(segment)) {
                large = f.size() > FrameReader.WINDOW ? f : large;
            }
        }
        SegmentFiles.flipByte(large.file(), large.end() - 7);
        try (LocalJournal<String> j = LocalJournal.open(options().withTailCacheBytes(0))) {
            assertEquals(List.of("before", "after"), values(j.read(0, 10, Long.MAX_VALUE)));
            JournalReader<String> r = j.open("lane", StartFrom.EARLIEST);
            List<String> read = new ArrayList<>();
            while (read.size() < 2) {
                read.addAll(values(r.poll(10, Long.MAX_VALUE, WAIT)));
            }
            assertEquals(List.of("before", "after"), read);
            assertEquals(1, r.takeCorrupt());
        }
    }

    @Test
    void anEntryLargerThan64MiBFailsItsAppend() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            Append big = j.append("x".repeat(Frame.MAX_PAYLOAD + 1));
            JournalWriteException e = assertThrows(JournalWriteException.class, () -> big.await(WAIT));
            assertTrue(e.getMessage().contains("larger than the limit"), e.getMessage());
            appendAll(j, "after");
            assertEquals(List.of("after"), values(j.read(0, 10, 1000)));
        }
    }

    /**
     * A real ENOSPC from the kernel: the next segment file is a link to /dev/full. The appends that
     * land there fail, are counted and reported; the journal drops the unusable segment and the next
     * append writes a new one.
     */
    @Test
    void aFullDiskFailsTheAffectedAppendsAndTheJournalKeepsWorking() throws Exception {
        Path devFull = Path.of("/dev/full");
        assertTrue(Files.exists(devFull), "this test needs Linux's /dev/full");
        try (LocalJournal<String> j = LocalJournal.open(options().withSegmentBytes(Frame.size(2) * 4))) {
            JournalReader<String> r = j.open("lane", StartFrom.EARLIEST);
            j.open("archive", StartFrom.EARLIEST).close(); // keeps every segment for the reopen below
            appendAll(j, "00", "01", "02", "03"); // exactly fills the first segment
            Files.createSymbolicLink(dir.resolve("segments").resolve(Segment.fileName(4)), devFull);
            Append lost = j.append("04");
            JournalWriteException e = assertThrows(JournalWriteException.class, () -> lost.await(WAIT));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertEquals(1, j.stats().writeFailures());
            assertTrue(observer.lastFailure.contains("No space left"), observer.lastFailure);
            assertFalse(Files.exists(dir.resolve("segments").resolve(Segment.fileName(4)), java.nio.file.LinkOption.NOFOLLOW_LINKS));
            appendAll(j, "05", "06");
            List<Entry<String>> all = r.poll(100, 1 << 20, WAIT);
            assertEquals(List.of("00", "01", "02", "03", "05", "06"), values(all));
            assertEquals(List.of(0L, 1L, 2L, 3L, 5L, 6L), all.stream().map(Entry::offset).toList());
            r.ack(all);
            assertEquals(7, r.committed());
        }
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            assertEquals(List.of("00", "01", "02", "03", "05", "06"), values(j.read(0, 100, 1 << 20)));
        }
    }

    @Test
    void aSecondProxyCannotOpenTheSameDirectory() {
        try (LocalJournal<String> j = LocalJournal.open(options())) {
            JournalOpenException e = assertThrows(JournalOpenException.class, () -> LocalJournal.open(options()));
            assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("in use by another llmhub process"), e.getMessage());
        }
        LocalJournal.open(options()).close(); // released on close
    }

    @Test
    void filesAreReadableByTheOwnerOnly() throws Exception {
        assertTrue(DataDir.POSIX, "POSIX permissions expected on this platform");
        Path data = dir.resolve("data");
        try (LocalJournal<String> j = LocalJournal.open(options().withSegmentBytes(64).withTailCacheBytes(0))) {
            appendAll(j, range("v", 0, 10));
            j.open("es", StartFrom.EARLIEST).close();
        }
        try (LocalJournal<String> j = LocalJournal.open(new LocalJournal.Options<>(data, Durability.PROCESS, Duration.ZERO,
                1 << 20, Duration.ofHours(1), 4096, 0, new StringCodec(), observer, clock))) {
            appendAll(j, "x");
        }
        for (Path root : List.of(dir, data)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.toList()) {
                    if (p.equals(dir)) {
                        continue; // made by JUnit
                    }
                    String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
                    assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
                }
            }
        }
    }

    @Test
    void aBacklogIsReadFromDiskThroughBoundedMemory() throws Exception {
        try (LocalJournal<String> j = LocalJournal.open(options().withSegmentBytes(1 << 20).withTailCacheBytes(16 * 1024))) {
            JournalReader<String> r = j.open("behind", StartFrom.HEAD);
            for (int i = 0; i < 100_000; i++) {
                j.append("record-" + i); // fire and forget: written by the group commit as they come
            }
            assertTrue(j.append("last").await(WAIT));
            assertTrue(j.cache.bytes() <= 16 * 1024, "the tail cache holds at most its budget");
            long expected = 0;
            while (expected < 100_001) {
                List<Entry<String>> b = r.poll(1000, 64 * 1024, WAIT);
                for (Entry<String> e : b) {
                    assertEquals(expected, e.offset());
                    assertEquals(expected == 100_000 ? "last" : "record-" + expected, e.value());
                    expected++;
                }
                r.ack(b);
            }
            assertEquals(100_001, r.committed());
        }
    }
}
