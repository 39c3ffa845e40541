package dev.llmhub.core.journal;

import dev.llmhub.core.logging.ThrottledLog;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * One destination's cursor in the Kafka journal: a member of the destination's consumer group
 * ({@code <group_prefix><name>}), shared by every replica that runs the destination. Kafka spreads the
 * topic's partitions over the members; this reader hands out the records of the partitions it owns.
 *
 * <p>A fetch thread of its own owns the {@link KafkaConsumer} (which is single-threaded): it polls all
 * the time — so the group never drops this member while its lane waits out a retry, is paused or has
 * no plugin — into a buffer bounded in records and bytes (the partitions are paused when it is full),
 * commits, and runs the rebalance callbacks. The lane's threads only touch the buffer and the
 * acknowledgement state, under one lock.
 *
 * <p><b>Commits.</b> Per partition, the committed offset is the first record handed out and not yet
 * acknowledged (acknowledgements come out of order), else the first buffered one, else the next to
 * fetch; it is committed within about 100 ms of changing, and synchronously when the partition is
 * revoked or the reader closes. <b>Rebalances.</b> A revoked partition's buffered records are dropped
 * at once (never handed out again here); its in-flight records get up to two seconds to be
 * acknowledged, then the contiguous acknowledged prefix is committed and the partition goes: its next
 * owner starts at that offset, so nothing unacknowledged is skipped (at-least-once; destinations
 * dedupe by record id). A partition that was lost (this member was dropped from the group) is
 * forgotten without a commit. A newly assigned partition starts at the group's committed offset, or,
 * when the group has none, where {@link StartFrom} says (the head as it was when the reader opened, or
 * the oldest record), and that start is committed at once so a restart resumes there.
 *
 * <p><b>Losses.</b> Kafka's offsets within a partition are dense (the journal writes no transactions
 * and its topic is not compacted): a record whose offset is past the next expected one means the
 * topic's retention removed records this destination had not read; they are counted as dropped.
 */
final class KafkaReader<T> extends CountingReader<T> {
    private static final System.Logger LOG = System.getLogger(KafkaReader.class.getName());
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long COMMIT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(2);
    private static final Duration CALL = Duration.ofSeconds(10);
    private static final Duration SEEK_WAIT = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int BUFFER_ENTRIES = 2048;
    private static final long BUFFER_BYTES = KafkaClients.readBufferBytes();
    static final String RETENTION = "removed by the Kafka topic's retention (retention.ms / retention.bytes) before delivery";

    private final KafkaJournal<T> journal;
    private final String group;
    private final String topic;
    private final StartFrom startFrom;
    /** For {@link StartFrom#HEAD}: each partition's end when the reader opened (empty: ask at assignment). */
    private final Map<Integer, Long> headAtOpen;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread fetcher;
    private final ThrottledLog errorLog = new ThrottledLog(LOG, Duration.ofSeconds(30));
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // guarded by lock
    private final TreeMap<Integer, Part> parts = new TreeMap<>();
    private int bufferedEntries;
    private long bufferedBytes;
    private int turn;
    private SeekPlan seekRequest;
    private boolean closed;
    private boolean fetcherEnded;

    // the fetch thread's own
    private final Set<TopicPartition> uninitialized = new HashSet<>();
    private boolean flowPaused;
    private boolean commitInFlight;
    private long lastCommitNanos;

    private volatile boolean stopping;
    private volatile long lastUsed = System.currentTimeMillis();

    /** A record fetched and not yet handed out. */
    private record Fetched(int partition, long offset, long timestamp, byte[] value) {
        int size() {
            return value == null ? 0 : value.length;
        }
    }

    /** An owned partition: its buffered records and the records handed out but not acknowledged. */
    private static final class Part {
        final int partition;
        final ArrayDeque<Fetched> buffered = new ArrayDeque<>();
        /** Handed out and not acknowledged: offset to time. The first key is the committed offset. */
        final TreeMap<Long, Long> inFlight = new TreeMap<>();
        /** The offset after the last record fetched (or the starting position). */
        long next;
        /** What Kafka has as committed for this group (-1: unknown). */
        long committedSent = -1;

        Part(int partition, long next, long committedSent) {
            this.partition = partition;
            this.next = next;
            this.committedSent = committedSent;
        }

        /** The first offset not acknowledged: everything before it is delivered. */
        long committed() {
            if (!inFlight.isEmpty()) {
                return inFlight.firstKey();
            }
            return buffered.isEmpty() ? next : buffered.peekFirst().offset();
        }

        /** The next offset {@code poll} hands out from this partition. */
        long position() {
            return buffered.isEmpty() ? next : buffered.peekFirst().offset();
        }

        long oldestTimestamp() {
            if (!inFlight.isEmpty()) {
                return inFlight.firstEntry().getValue();
            }
            return buffered.isEmpty() ? -1 : buffered.peekFirst().timestamp();
        }
    }

    /**
     * Where a seek moves the partitions this reader owns.
     *
     * @param partitions the topic's partition count when it was planned
     * @param partition  the address's partition
     * @param offset     the address's offset
     * @param timestamp  with several partitions: the time of the record at the address; the other
     *                   partitions move to their first record at or after it (-1: to their end)
     */
    record SeekPlan(int partitions, int partition, long offset, long timestamp) {
    }

    KafkaReader(KafkaJournal<T> journal, String name, String group, StartFrom startFrom, Map<Integer, Long> headAtOpen,
                KafkaConsumer<byte[], byte[]> consumer) {
        super(name);
        this.journal = journal;
        this.group = group;
        this.topic = journal.topic();
        this.startFrom = startFrom;
        this.headAtOpen = Map.copyOf(headAtOpen);
        this.consumer = consumer;
        this.fetcher = Thread.ofPlatform().daemon().name("llmhub-journal-kafka-" + name).unstarted(this::fetch);
    }

    void start() {
        fetcher.start();
    }

    /** @return the consumer group */
    String group() {
        return group;
    }

    long lastUsed() {
        return lastUsed;
    }

    /** @return the partitions this reader hands out now (for tests and the log) */
    Set<Integer> ownedPartitions() {
        lock.lock();
        try {
            return Set.copyOf(parts.keySet());
        } finally {
            lock.unlock();
        }
    }

    // ---- the lane's side ----

    @Override
    public List<Entry<T>> poll(int maxEntries, long maxBytes, Duration wait) throws InterruptedException {
        long deadline = PollDeadline.of(maxEntries, wait);
        List<Fetched> taken;
        lock.lockInterruptibly();
        try {
            while (true) {
                // the journal closes its readers as it closes: a poll waiting then ends empty, as
                // JournalReader#poll says (the local and memory journals do not close their readers)
                if (journal.isClosed()) {
                    return List.of();
                }
                if (closed) {
                    throw PollDeadline.closedReader(name);
                }
                if (bufferedEntries > 0 && seekRequest == null) {
                    taken = take(maxEntries, maxBytes);
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        return decode(taken);
    }

    /** Takes buffered records, one partition after the other in turn. Under the lock. */
    private List<Fetched> take(int maxEntries, long maxBytes) {
        List<Fetched> out = new ArrayList<>();
        long bytes = 0;
        List<Part> order = new ArrayList<>(parts.values());
        int start = order.isEmpty() ? 0 : Math.floorMod(turn++, order.size());
        boolean more = true;
        while (more && out.size() < maxEntries) {
            more = false;
            for (int i = 0; i < order.size() && out.size() < maxEntries; i++) {
                Part part = order.get((start + i) % order.size());
                Fetched f = part.buffered.peekFirst();
                if (f == null) {
                    continue;
                }
                if (!out.isEmpty() && bytes + f.size() > maxBytes) {
                    return out;
                }
                part.buffered.pollFirst();
                part.inFlight.put(f.offset(), f.timestamp());
                bufferedEntries--;
                bufferedBytes -= f.size();
                bytes += f.size();
                out.add(f);
                more = true;
            }
        }
        return out;
    }

    private List<Entry<T>> decode(List<Fetched> taken) {
        List<Entry<T>> out = new ArrayList<>(taken.size());
        List<Long> corrupt = new ArrayList<>();
        for (Fetched f : taken) {
            long address = KafkaOffsets.address(f.partition(), f.offset());
            T value = journal.decode(f.value());
            if (value == null) {
                corrupt.add(address);
            } else {
                out.add(new Entry<>(address, f.timestamp(), f.size(), value));
            }
        }
        if (!corrupt.isEmpty()) {
            counters.corrupt(corrupt.size());
            journal.corrupt(corrupt.size());
            acknowledge(corrupt); // skipped for good
        }
        return out;
    }

    @Override
    public void ack(List<Entry<T>> entries) {
        List<Long> addresses = new ArrayList<>(entries.size());
        for (Entry<T> e : entries) {
            addresses.add(e.offset());
        }
        acknowledge(addresses);
    }

    private void acknowledge(List<Long> addresses) {
        lock.lock();
        try {
            for (long a : addresses) {
                Part part = parts.get(KafkaOffsets.partition(a));
                if (part != null) {
                    part.inFlight.remove(KafkaOffsets.offset(a));
                }
            }
            lastUsed = System.currentTimeMillis();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void seek(long offset) {
        SeekPlan plan = journal.seekPlan(offset);
        lock.lock();
        try {
            if (closed) {
                throw PollDeadline.closedReader(name);
            }
            parts.values().forEach(this::clear);
            seekRequest = plan;
            long left = SEEK_WAIT.toNanos();
            while (seekRequest == plan && !fetcherEnded && left > 0) {
                left = changed.awaitNanos(left);
            }
            if (seekRequest == plan) {
                LOG.log(Level.WARNING, "journal: cursor ''{0}'': the move to offset {1} is not applied yet (Kafka does"
                        + " not answer); it applies when Kafka does", name, offset);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long position() {
        return sum(true);
    }

    @Override
    public long committed() {
        return sum(false);
    }

    /** The sum over the topic's partitions of the position (or the committed offset); see {@link KafkaOffsets}. */
    private long sum(boolean position) {
        KafkaTopic.Snapshot s = journal.snapshot();
        Map<Integer, Long> groupCommitted = journal.groupOffsets(group);
        long total = 0;
        lock.lock();
        try {
            for (int p : partitionsSeen(s)) {
                Part part = parts.get(p);
                if (part != null) {
                    total += position ? part.position() : part.committed();
                } else {
                    total += groupCommitted.getOrDefault(p, unsetDefault(s, p));
                }
            }
        } finally {
            lock.unlock();
        }
        return total;
    }

    /**
     * The destination's lag across the group: per partition, the topic's end minus the committed
     * offset (this reader's own for the partitions it owns, the group's for the rest, as of the last
     * refresh). Bytes are estimated from the journal's average record size; the oldest record's time
     * is known for the partitions this reader owns.
     */
    @Override
    public Lag lag() {
        KafkaTopic.Snapshot s = journal.snapshot();
        Map<Integer, Long> groupCommitted = journal.groupOffsets(group);
        long entries = 0;
        long oldest = -1;
        lock.lock();
        try {
            for (int p : partitionsSeen(s)) {
                Part part = parts.get(p);
                long end = s.endOf(p);
                long committed;
                if (part != null) {
                    end = Math.max(end, part.next);
                    committed = part.committed();
                    long t = part.oldestTimestamp();
                    if (t >= 0 && (oldest < 0 || t < oldest)) {
                        oldest = t;
                    }
                } else {
                    committed = groupCommitted.getOrDefault(p, unsetDefault(s, p));
                }
                entries += Math.max(0, end - committed);
            }
        } finally {
            lock.unlock();
        }
        if (entries == 0) {
            return new Lag(0, 0, Optional.empty());
        }
        return new Lag(entries, entries * journal.averageRecordBytes(),
                oldest < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldest)));
    }

    /** Where a partition the group has no offset for counts from: nothing to do at the head, everything from the oldest. */
    private long unsetDefault(KafkaTopic.Snapshot s, int p) {
        return startFrom == StartFrom.EARLIEST ? s.beginOf(p) : s.endOf(p);
    }

    private Set<Integer> partitionsSeen(KafkaTopic.Snapshot s) {
        Set<Integer> all = new TreeSet<>(parts.keySet());
        for (int p = 0; p < s.partitions(); p++) {
            all.add(p);
        }
        return all;
    }

    /** Commits what was acknowledged, leaves the group (its partitions move to the other replicas at once). */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            fetcher.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.readerClosed(this);
    }

    @Override
    public String toString() {
        return "JournalReader[" + name + ", kafka group " + group + "]";
    }

    /** Drops a part's buffered and in-flight records (a seek, a revocation). Under the lock. */
    private void clear(Part part) {
        for (Fetched f : part.buffered) {
            bufferedEntries--;
            bufferedBytes -= f.size();
        }
        part.buffered.clear();
        part.inFlight.clear();
    }

    // ---- the fetch thread ----

    private void fetch() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!stopping) {
                try {
                    initialize();
                    applySeek();
                    commit(false);
                    flowControl();
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    if (!records.isEmpty()) {
                        add(records);
                    }
                } catch (KafkaException e) {
                    if (stopping) {
                        break;
                    }
                    errorLog.log(Level.WARNING, held -> "journal: destination '" + name + "' cannot read the Kafka"
                            + " journal (group " + group + "): " + journal.scrub(KafkaErrors.describe(e))
                            + "; retrying, its records wait in the topic" + ThrottledLog.heldBack(held));
                    pause(RETRY);
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "journal: the Kafka reader of destination '" + name + "' failed; its records wait"
                    + " in the topic for the next start", e);
        } finally {
            try {
                commit(true);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "journal: destination ''{0}'': the last position could not be committed ({1});"
                        + " up to the records in flight may be delivered again", name, journal.scrub(KafkaErrors.describe(e)));
            }
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "closing the consumer of " + name, e);
            }
            lock.lock();
            try {
                parts.values().forEach(this::clear);
                parts.clear();
                fetcherEnded = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void pause(Duration d) {
        lock.lock();
        try {
            long left = d.toNanos();
            while (!stopping && left > 0) {
                left = changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    /** Buffers what the consumer fetched; a gap in a partition's offsets is a retention loss. */
    private void add(ConsumerRecords<byte[], byte[]> records) {
        lock.lock();
        try {
            if (seekRequest != null) {
                return; // from before the seek: the seek repositions the consumer
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                Part part = parts.get(r.partition());
                if (part == null || r.offset() < part.next) {
                    continue;
                }
                if (r.offset() > part.next) {
                    long lost = r.offset() - part.next;
                    counters.dropped(lost, RETENTION);
                    journal.dropped(name, lost, RETENTION);
                }
                part.next = r.offset() + 1;
                Fetched f = new Fetched(r.partition(), r.offset(), r.timestamp(), r.value());
                part.buffered.addLast(f);
                bufferedEntries++;
                bufferedBytes += f.size();
                journal.recordSize(f.size());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Pauses the owned partitions while the buffer is full; resumes them below half. */
    private void flowControl() {
        boolean full;
        boolean low;
        lock.lock();
        try {
            full = bufferedEntries >= BUFFER_ENTRIES || bufferedBytes >= BUFFER_BYTES;
            low = bufferedEntries < BUFFER_ENTRIES / 2 && bufferedBytes < BUFFER_BYTES / 2;
        } finally {
            lock.unlock();
        }
        if (full) {
            consumer.pause(consumer.assignment());
            flowPaused = true;
        } else if (flowPaused && low) {
            Set<TopicPartition> resume = new HashSet<>(consumer.assignment());
            resume.removeAll(uninitialized);
            consumer.resume(resume);
            flowPaused = false;
        }
    }

    /**
     * Places newly assigned partitions: at the group's committed offset, or where {@link StartFrom}
     * says (committed at once). Outside the rebalance callback, so a slow or failing broker only delays
     * it: the partition stays paused until then.
     */
    private void initialize() {
        if (uninitialized.isEmpty()) {
            return;
        }
        Set<TopicPartition> todo = new HashSet<>(uninitialized);
        todo.retainAll(consumer.assignment());
        uninitialized.retainAll(todo);
        if (todo.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(todo, CALL);
        Set<TopicPartition> unset = new HashSet<>();
        for (TopicPartition tp : todo) {
            if (committed.get(tp) == null) {
                unset.add(tp);
            }
        }
        Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
        if (!unset.isEmpty()) {
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(unset, CALL);
            Map<TopicPartition, Long> end = startFrom == StartFrom.HEAD ? consumer.endOffsets(unset, CALL) : Map.of();
            for (TopicPartition tp : unset) {
                long at = startFrom == StartFrom.EARLIEST ? begin.get(tp)
                        : Math.max(begin.get(tp), headAtOpen.getOrDefault(tp.partition(), end.get(tp)));
                consumer.seek(tp, at);
                starts.put(tp, new OffsetAndMetadata(at));
            }
            consumer.commitSync(starts, CALL);
        }
        Map<Integer, Part> placed = new HashMap<>();
        for (TopicPartition tp : todo) {
            long position = consumer.position(tp, CALL);
            OffsetAndMetadata c = committed.get(tp) != null ? committed.get(tp) : starts.get(tp);
            placed.put(tp.partition(), new Part(tp.partition(), position, c.offset()));
        }
        lock.lock();
        try {
            parts.putAll(placed);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        uninitialized.removeAll(todo);
        if (!flowPaused) {
            consumer.resume(todo);
        }
    }

    private void applySeek() {
        SeekPlan plan;
        Set<Integer> owned;
        lock.lock();
        try {
            plan = seekRequest;
            owned = new HashSet<>(parts.keySet());
        } finally {
            lock.unlock();
        }
        if (plan == null) {
            return;
        }
        Map<TopicPartition, Long> wanted = new HashMap<>();
        Map<TopicPartition, Long> byTime = new HashMap<>();
        for (int p : owned) {
            TopicPartition tp = new TopicPartition(topic, p);
            if (plan.partitions() <= 1 || p == plan.partition()) {
                wanted.put(tp, p == plan.partition() ? plan.offset() : Long.MAX_VALUE);
            } else if (plan.timestamp() < 0 || plan.partition() >= plan.partitions()) {
                wanted.put(tp, Long.MAX_VALUE);
            } else {
                byTime.put(tp, plan.timestamp());
            }
        }
        if (!byTime.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(byTime, CALL);
            byTime.keySet().forEach(tp -> wanted.put(tp, found.get(tp) == null ? Long.MAX_VALUE : found.get(tp).offset()));
        }
        Map<TopicPartition, Long> begin = wanted.isEmpty() ? Map.of() : consumer.beginningOffsets(wanted.keySet(), CALL);
        Map<TopicPartition, Long> end = wanted.isEmpty() ? Map.of() : consumer.endOffsets(wanted.keySet(), CALL);
        Map<Integer, Long> placed = new HashMap<>();
        wanted.forEach((tp, w) -> {
            long at = Math.max(begin.get(tp), Math.min(w, end.get(tp)));
            consumer.seek(tp, at);
            placed.put(tp.partition(), at);
        });
        lock.lock();
        try {
            placed.forEach((p, at) -> {
                Part part = parts.get(p);
                if (part != null) {
                    clear(part);
                    part.next = at;
                }
            });
            if (seekRequest == plan) {
                seekRequest = null;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Commits each owned partition's committed offset where it changed: every 100 ms, or now ({@code force}). */
    private void commit(boolean force) {
        long now = System.nanoTime();
        if (!force && (commitInFlight || now - lastCommitNanos < COMMIT_EVERY_NANOS)) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        lock.lock();
        try {
            if (seekRequest != null) {
                return;
            }
            for (Part part : parts.values()) {
                long c = part.committed();
                if (c != part.committedSent) {
                    offsets.put(new TopicPartition(topic, part.partition), new OffsetAndMetadata(c));
                }
            }
        } finally {
            lock.unlock();
        }
        lastCommitNanos = now;
        if (offsets.isEmpty()) {
            return;
        }
        if (force) {
            consumer.commitSync(offsets, CALL);
            committed(offsets);
            return;
        }
        commitInFlight = true;
        consumer.commitAsync(offsets, (done, e) -> {
            commitInFlight = false;
            if (e == null) {
                committed(done);
            } else if (!stopping) {
                errorLog.log(Level.WARNING, held -> "journal: destination '" + name + "': committing its position to"
                        + " Kafka failed (" + journal.scrub(KafkaErrors.describe(e)) + "); retrying"
                        + ThrottledLog.heldBack(held));
            }
        });
    }

    private void committed(Map<TopicPartition, OffsetAndMetadata> done) {
        lock.lock();
        try {
            done.forEach((tp, om) -> {
                Part part = parts.get(tp.partition());
                if (part != null) {
                    part.committedSent = om.offset();
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** Runs on the fetch thread, inside {@code poll}. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (assigned.isEmpty()) {
                return;
            }
            // Placed by initialize() before anything is fetched for them.
            consumer.pause(assigned);
            uninitialized.addAll(assigned);
            LOG.log(Level.INFO, "journal: destination ''{0}'' now also reads partitions {1} of {2} (group {3})", name,
                    numbers(assigned), topic, group);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            uninitialized.removeAll(revoked);
            if (revoked.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            lock.lock();
            try {
                for (TopicPartition tp : revoked) {
                    Part part = parts.get(tp.partition());
                    if (part != null) {
                        // never hand these out again here: the next owner reads them
                        long resumeAt = part.position();
                        for (Fetched f : part.buffered) {
                            bufferedEntries--;
                            bufferedBytes -= f.size();
                        }
                        part.buffered.clear();
                        part.next = resumeAt;
                    }
                }
                // Batches in flight get a moment to be acknowledged, so the next owner repeats less.
                long left = stopping ? 0 : REVOKE_WAIT.toNanos();
                while (left > 0 && revoked.stream().anyMatch(tp -> parts.containsKey(tp.partition())
                        && !parts.get(tp.partition()).inFlight.isEmpty())) {
                    left = changed.awaitNanos(left);
                }
                for (TopicPartition tp : revoked) {
                    Part part = parts.get(tp.partition());
                    if (part != null && part.committed() != part.committedSent) {
                        offsets.put(tp, new OffsetAndMetadata(part.committed()));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
            try {
                if (!offsets.isEmpty()) {
                    consumer.commitSync(offsets, CALL);
                }
            } catch (KafkaException e) {
                LOG.log(Level.WARNING, "journal: destination ''{0}'': the position of partitions {1} could not be"
                        + " committed as they moved to another replica ({2}); it may deliver some records again",
                        name, revoked, journal.scrub(KafkaErrors.describe(e)));
            }
            forget(revoked);
            if (!stopping) {
                LOG.log(Level.INFO, "journal: destination ''{0}'' hands partitions {1} of {2} over to another replica",
                        name, numbers(revoked), topic);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            uninitialized.removeAll(lost);
            forget(lost);
            LOG.log(Level.WARNING, "journal: destination ''{0}'' lost partitions {1} of {2}: the group dropped this"
                    + " replica (no heartbeat within session.timeout.ms); their records go to the other replicas, and"
                    + " those in flight here may be delivered twice", name, numbers(lost), topic);
        }

        private static java.util.List<Integer> numbers(Collection<TopicPartition> partitions) {
            return partitions.stream().map(TopicPartition::partition).sorted().toList();
        }

        private void forget(Collection<TopicPartition> gone) {
            lock.lock();
            try {
                for (TopicPartition tp : gone) {
                    Part part = parts.remove(tp.partition());
                    if (part != null) {
                        clear(part);
                    }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
