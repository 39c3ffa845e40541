package dev.llmhub.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vector's invariants test, for our journals: seeded random appends, polls, out-of-order acks, seeks,
 * reader opens and closes, restarts, crashes (with torn tails and flipped bytes) against a trivial
 * model (a sorted map of what must be there). Any difference fails with the seed and the step.
 */
class JournalModelTest {
    private static final int STEPS = 1500;
    private static final String ANCHOR = "anchor";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void localJournalMatchesTheModel(long seed) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-30T10:00:00Z"));
        LocalJournal.Options<String> options = LocalJournal.Options.defaults(dir, new StringCodec())
                .withSegmentBytes(4096).withTailCacheBytes(300).withClock(clock);
        new Run(seed, clock, () -> LocalJournal.open(options), true).go();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 6})
    void memoryJournalMatchesTheModel(long seed) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-30T10:00:00Z"));
        new Run(seed, clock, () -> new MemoryJournal<>(1L << 30, new StringCodec(), JournalObserver.NONE, clock), false).go();
    }

    /** What the model knows of one open reader. */
    private static final class ModelReader {
        final JournalReader<String> reader;
        long position;
        final TreeMap<Long, Boolean> unacked = new TreeMap<>(); // offset -> acked
        final List<Entry<String>> returned = new ArrayList<>();

        ModelReader(JournalReader<String> reader, long position) {
            this.reader = reader;
            this.position = position;
        }

        long committed() {
            for (Map.Entry<Long, Boolean> e : unacked.entrySet()) {
                if (!e.getValue()) {
                    return e.getKey();
                }
            }
            return position;
        }
    }

    private final class Run {
        final Random random;
        final long seed;
        final TestClock clock;
        final Supplier<Journal<String>> opener;
        final boolean durable;
        Journal<String> journal;
        /** Entries that must be readable: offset -> value, and offset -> time. */
        final TreeMap<Long, String> values = new TreeMap<>();
        final Map<Long, Long> times = new HashMap<>();
        /** Entries whose frame was damaged on disk: readers skip and count them. */
        final Set<Long> damaged = new HashSet<>();
        /** Cursors: committed values since the last point the journal had to persist them. */
        final Map<String, Set<Long>> cursors = new LinkedHashMap<>();
        final Map<String, ModelReader> open = new LinkedHashMap<>();
        long maxOffset = -1;
        int step;

        Run(long seed, TestClock clock, Supplier<Journal<String>> opener, boolean durable) {
            this.seed = seed;
            this.random = new Random(seed);
            this.clock = clock;
            this.opener = opener;
            this.durable = durable;
        }

        String where() {
            return "seed " + seed + ", step " + step;
        }

        void go() throws Exception {
            journal = opener.get();
            // A cursor that never reads holds every segment back from retention (tested on its own).
            journal.open(ANCHOR, StartFrom.EARLIEST).close();
            try {
                for (step = 0; step < STEPS; step++) {
                    clock.advance(Duration.ofMillis(random.nextInt(3000)));
                    int op = random.nextInt(100);
                    if (op < 30) {
                        append();
                    } else if (op < 55) {
                        poll();
                    } else if (op < 70) {
                        ack();
                    } else if (op < 74) {
                        seek();
                    } else if (op < 80) {
                        openReader();
                    } else if (op < 84) {
                        closeReader();
                    } else if (op < 88) {
                        read();
                    } else if (op < 91) {
                        offsetAt();
                    } else if (op < 92) {
                        deleteCursor();
                    } else if (durable && op < 94) {
                        ((LocalJournal<String>) journal).maintain();
                        for (Map.Entry<String, ModelReader> e : open.entrySet()) {
                            cursors.put(e.getKey(), new HashSet<>(Set.of(e.getValue().committed())));
                        }
                    } else if (durable && op < 97) {
                        restart();
                    } else if (durable) {
                        crash();
                    }
                    checkReaders();
                }
            } finally {
                journal.close();
            }
        }

        void append() throws InterruptedException {
            for (int i = 1 + random.nextInt(5); i > 0; i--) {
                String v = "s" + step + "-" + "x".repeat(random.nextInt(60));
                Append a = journal.append(v);
                assertTrue(a.await(Duration.ofSeconds(30)), where());
                assertTrue(a.offset() > maxOffset, where() + ": offsets only grow, and no offset a reader could have seen is reused");
                maxOffset = a.offset();
                values.put(a.offset(), v);
                times.put(a.offset(), clock.millis());
            }
        }

        ModelReader anyOpen() {
            if (open.isEmpty()) {
                return null;
            }
            List<ModelReader> all = new ArrayList<>(open.values());
            return all.get(random.nextInt(all.size()));
        }

        long head() {
            return journal.stats().headOffset();
        }

        /** Simulates the journal's read loop on the model. @return [entries expected, corrupt expected] */
        List<Entry<String>> expect(long from, int max, long maxBytes, long[] corrupt) {
            List<Entry<String>> out = new ArrayList<>();
            long bytes = 0;
            for (Map.Entry<Long, String> e : values.tailMap(from, true).entrySet()) {
                if (!(out.size() < max && (out.isEmpty() || bytes < maxBytes))) {
                    break;
                }
                if (damaged.contains(e.getKey())) {
                    corrupt[0]++;
                    continue;
                }
                int size = e.getValue().length();
                if (!out.isEmpty() && bytes + size > maxBytes) {
                    break;
                }
                out.add(new Entry<>(e.getKey(), times.get(e.getKey()), size, e.getValue()));
                bytes += size;
            }
            return out;
        }

        void poll() throws InterruptedException {
            ModelReader r = anyOpen();
            if (r == null) {
                return;
            }
            int max = 1 + random.nextInt(20);
            long maxBytes = 1 + random.nextInt(400);
            long[] corrupt = {0};
            List<Entry<String>> expected = expect(r.position, max, maxBytes, corrupt);
            List<Entry<String>> got = r.reader.poll(max, maxBytes, Duration.ZERO);
            assertEquals(expected, got, where() + ": poll of " + r.reader.name() + " from " + r.position);
            assertEquals(corrupt[0], r.reader.takeCorrupt(), where() + ": corrupt entries skipped");
            assertEquals(JournalReader.Dropped.NONE, r.reader.takeDropped(), where());
            long next = r.reader.position();
            long after = got.isEmpty() ? r.position : got.getLast().offset() + 1;
            assertTrue(next >= after, where());
            for (long o : values.subMap(after, true, next, false).keySet()) {
                assertTrue(damaged.contains(o), where() + ": the reader moved past entry " + o + " without returning it");
            }
            r.position = next;
            for (Entry<String> e : got) {
                r.unacked.put(e.offset(), false);
                r.returned.add(e);
            }
            noteCommitted(r);
        }

        void ack() {
            ModelReader r = anyOpen();
            if (r == null || r.returned.isEmpty()) {
                return;
            }
            List<Entry<String>> acked = new ArrayList<>();
            for (Entry<String> e : new ArrayList<>(r.returned)) {
                if (random.nextBoolean()) {
                    acked.add(e);
                    r.returned.remove(e);
                    r.unacked.put(e.offset(), true);
                }
            }
            r.reader.ack(acked);
            while (!r.unacked.isEmpty() && r.unacked.firstEntry().getValue()) {
                r.unacked.pollFirstEntry();
            }
            noteCommitted(r);
        }

        void noteCommitted(ModelReader r) {
            cursors.get(r.reader.name()).add(r.committed());
        }

        void seek() {
            ModelReader r = anyOpen();
            if (r == null) {
                return;
            }
            long head = head();
            long to = random.nextLong(-3, head + 4);
            r.reader.seek(to);
            long retainedFrom = values.isEmpty() && damaged.isEmpty() ? Math.min(0, head) : 0;
            long expected = Math.max(retainedFrom, Math.min(to, head));
            assertEquals(expected, r.reader.position(), where() + ": seek to " + to);
            r.position = expected;
            r.unacked.clear();
            r.returned.clear();
            noteCommitted(r);
        }

        void openReader() {
            String name = "c" + random.nextInt(5);
            if (open.containsKey(name)) {
                return;
            }
            StartFrom from = random.nextBoolean() ? StartFrom.HEAD : StartFrom.EARLIEST;
            Set<Long> allowed = cursors.get(name);
            long head = head();
            JournalReader<String> reader = journal.open(name, from);
            long committed = reader.committed();
            if (allowed == null) {
                assertEquals(from == StartFrom.HEAD ? head : values.isEmpty() && damaged.isEmpty() ? reader.committed() : 0,
                        committed, where() + ": new cursor " + from);
            } else {
                assertTrue(allowed.contains(committed), where() + ": cursor " + name + " resumed at " + committed
                        + ", expected one of " + allowed);
            }
            assertEquals(committed, reader.position(), where());
            cursors.put(name, new HashSet<>(Set.of(committed)));
            open.put(name, new ModelReader(reader, committed));
        }

        void closeReader() {
            ModelReader r = anyOpen();
            if (r == null) {
                return;
            }
            r.reader.close();
            open.remove(r.reader.name());
            cursors.put(r.reader.name(), new HashSet<>(Set.of(r.committed())));
        }

        void deleteCursor() {
            for (String name : new ArrayList<>(cursors.keySet())) {
                if (!open.containsKey(name)) {
                    journal.deleteCursor(name);
                    cursors.remove(name);
                    assertTrue(journal.cursors().stream().noneMatch(c -> c.name().equals(name)), where());
                    return;
                }
            }
        }

        void read() {
            long from = random.nextLong(-2, head() + 3);
            int max = 1 + random.nextInt(30);
            long maxBytes = 1 + random.nextInt(1000);
            List<Entry<String>> expected = expect(Math.max(0, from), max, maxBytes, new long[1]);
            assertEquals(expected, journal.read(from, max, maxBytes), where() + ": read from " + from);
        }

        void offsetAt() {
            long t = clock.millis() - random.nextInt(200_000);
            long head = head();
            long withDamaged = head;
            long withoutDamaged = head;
            for (Map.Entry<Long, String> e : values.entrySet()) {
                if (times.get(e.getKey()) >= t) {
                    withDamaged = Math.min(withDamaged, e.getKey());
                    if (!damaged.contains(e.getKey())) {
                        withoutDamaged = Math.min(withoutDamaged, e.getKey());
                    }
                }
            }
            long got = journal.offsetAt(Instant.ofEpochMilli(t));
            assertTrue(got == withDamaged || got == withoutDamaged,
                    where() + ": offsetAt " + t + " = " + got + ", expected " + withoutDamaged);
        }

        void restart() {
            for (ModelReader r : open.values()) {
                cursors.put(r.reader.name(), new HashSet<>(Set.of(r.committed())));
            }
            open.clear();
            journal.close();
            journal = opener.get();
        }

        void crash() throws IOException {
            ((LocalJournal<String>) journal).simulateCrash();
            open.clear();
            if (random.nextInt(3) == 0) {
                tearTail();
            }
            if (random.nextInt(3) == 0) {
                flipPayloadByte();
            }
            cutTrailingDamage();
            journal = opener.get();
            // Entries cut from a torn tail were never complete, so never seen: their offsets may come again.
            maxOffset = values.isEmpty() ? -1 : values.lastKey();
            for (CursorInfo c : journal.cursors()) {
                if (c.name().equals(ANCHOR)) {
                    continue;
                }
                maxOffset = Math.max(maxOffset, c.committed() - 1);
                Set<Long> allowed = cursors.get(c.name());
                assertTrue(allowed != null && allowed.contains(c.committed()),
                        where() + ": after a crash cursor " + c.name() + " is at " + c.committed() + ", allowed " + allowed);
                cursors.put(c.name(), new HashSet<>(Set.of(c.committed())));
            }
        }

        void tearTail() throws IOException {
            List<Path> segments = SegmentFiles.segments(dir);
            if (segments.isEmpty()) {
                return;
            }
            Path last = segments.getLast();
            List<SegmentFiles.Framed> frames = SegmentFiles.frames(last);
            if (frames.isEmpty()) {
                return;
            }
            long from = frames.get(Math.max(0, frames.size() - 3)).position();
            long cut = random.nextLong(from, Files.size(last));
            SegmentFiles.truncate(last, cut);
            for (SegmentFiles.Framed f : frames) {
                if (f.end() > cut) {
                    values.remove(f.offset());
                    damaged.remove(f.offset());
                }
            }
        }

        void flipPayloadByte() throws IOException {
            List<SegmentFiles.Framed> candidates = new ArrayList<>();
            for (Path s : SegmentFiles.segments(dir)) {
                for (SegmentFiles.Framed f : SegmentFiles.frames(s)) {
                    if (values.containsKey(f.offset()) && !damaged.contains(f.offset()) && f.size() > Frame.HEADER) {
                        candidates.add(f);
                    }
                }
            }
            if (candidates.isEmpty()) {
                return;
            }
            SegmentFiles.Framed f = candidates.get(random.nextInt(candidates.size()));
            SegmentFiles.flipByte(f.file(), f.position() + Frame.HEADER + random.nextInt(f.size() - Frame.HEADER));
            damaged.add(f.offset());
        }

        /** The last segment is scanned at open when its index does not match it: damage at its end is cut as a torn tail. */
        void cutTrailingDamage() throws IOException {
            List<Path> segments = SegmentFiles.segments(dir);
            if (segments.isEmpty()) {
                return;
            }
            Path last = segments.getLast();
            String name = last.getFileName().toString();
            Segment probe = new Segment(Long.parseLong(name.substring(0, 20)), last, 0);
            if (IndexFile.load(probe, Files.size(last))) {
                return; // trusted as it is: damage is found by readers
            }
            List<SegmentFiles.Framed> frames = SegmentFiles.frames(last);
            for (int i = frames.size() - 1; i >= 0 && damaged.contains(frames.get(i).offset()); i--) {
                values.remove(frames.get(i).offset());
                damaged.remove(frames.get(i).offset());
            }
        }

        void checkReaders() {
            long head = head();
            for (ModelReader r : open.values()) {
                assertEquals(r.committed(), r.reader.committed(), where() + ": committed of " + r.reader.name());
                assertEquals(r.position, r.reader.position(), where() + ": position of " + r.reader.name());
                assertEquals(Math.max(0, head - r.committed()), r.reader.lag().entries(), where() + ": lag of " + r.reader.name());
            }
            NavigableMap<Long, String> unused = values; // keeps the model's shape visible in a debugger
            assertTrue(unused.isEmpty() || unused.lastKey() < head, where() + ": head is past every entry");
        }
    }
}
