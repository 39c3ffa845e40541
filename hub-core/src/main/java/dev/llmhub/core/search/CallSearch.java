package dev.llmhub.core.search;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.core.delivery.Delivery;
import dev.llmhub.core.delivery.RecordDelivery;
import dev.llmhub.core.journal.Entry;
import dev.llmhub.core.journal.Journal;
import dev.llmhub.core.journal.JournalStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Finds calls in the journal for the console: newest first, a page at a time, over everything the
 * journal still holds. The journal is read backwards in growing windows; each window is scanned
 * forward with the filter's byte pre-filter ({@link Journal#scan}), so records that cannot match are
 * never decoded. A page also stops at a time budget: the caller gets what was found and where to go on.
 */
public final class CallSearch {
    /** The first window is the page size (the common case: no filter, the newest calls), at least this. */
    private static final int MIN_WINDOW = 64;
    private static final int MAX_WINDOW = 65_536;

    /** Each lane's state for a record ({@link Delivery#statesOf}), for the delivery-outcome filter. */
    @FunctionalInterface
    public interface Outcomes {
        /** @return the state per lane name */
        Map<String, RecordDelivery.State> of(long offset, CallStatus status);
    }

    private final Journal<CallRecord> journal;
    private final Outcomes outcomes;

    /**
     * @param journal  where records are
     * @param outcomes each lane's state for a record, e.g. {@code delivery::statesOf}
     */
    public CallSearch(Journal<CallRecord> journal, Outcomes outcomes) {
        this.journal = journal;
        this.outcomes = outcomes;
    }

    /**
     * One page of results.
     *
     * @param calls      matching entries, newest first
     * @param nextBefore where the next (older) page starts, exclusive; absent when nothing older is left
     * @param complete   false when the time budget ran out before the page was full: older matches may
     *                   exist before {@code nextBefore}
     * @param journal    the journal when the search began: its oldest offset and time are what
     *                   "everything retained" means
     */
    public record Page(List<Entry<CallRecord>> calls, OptionalLong nextBefore, boolean complete, JournalStats journal) {
    }

    /**
     * @param filter which calls
     * @param before only entries before this offset (the previous page's {@code nextBefore}); absent: the newest
     * @param limit  most calls returned
     * @param budget longest time spent scanning
     * @return the page
     */
    public Page newest(CallFilter filter, OptionalLong before, int limit, Duration budget) {
        JournalStats stats = journal.stats();
        long lo = stats.oldestOffset();
        if (filter.from().isPresent()) {
            lo = Math.max(lo, journal.offsetAt(filter.from().get()));
        }
        long hi = stats.headOffset();
        if (before.isPresent()) {
            hi = Math.min(hi, before.getAsLong());
        }
        if (filter.to().isPresent()) {
            hi = Math.min(hi, journal.offsetAt(filter.to().get()));
        }
        long deadline = System.nanoTime() + budget.toNanos();
        Predicate<byte[]> prefilter = filter.prefilter();
        List<Entry<CallRecord>> found = new ArrayList<>();
        int window = Math.max(MIN_WINDOW, limit);
        while (hi > lo && found.size() < limit) {
            long start = Math.max(lo, hi - window);
            List<Entry<CallRecord>> got = new ArrayList<>();
            journal.scan(start, hi, prefilter, got::add);
            for (int i = got.size() - 1; i >= 0; i--) {
                Entry<CallRecord> e = got.get(i);
                if (matches(filter, e)) {
                    found.add(e);
                    if (found.size() == limit) {
                        return new Page(found, OptionalLong.of(e.offset()), true, stats);
                    }
                }
            }
            hi = start;
            window = Math.min(window * 2, MAX_WINDOW);
            if (System.nanoTime() > deadline && hi > lo) {
                return new Page(found, OptionalLong.of(hi), false, stats);
            }
        }
        return new Page(found, OptionalLong.empty(), true, stats);
    }

    /**
     * @param id   a record id
     * @param hint the offset where the caller saw it, when known (checked, never trusted)
     * @param budget longest time spent searching without a usable hint
     * @return the entry, when the journal still holds it
     */
    public Optional<Entry<CallRecord>> find(String id, OptionalLong hint, Duration budget) {
        if (hint.isPresent()) {
            List<Entry<CallRecord>> at = journal.read(hint.getAsLong(), 1, 1);
            if (!at.isEmpty() && at.getFirst().offset() == hint.getAsLong() && at.getFirst().value().id().equals(id)) {
                return Optional.of(at.getFirst());
            }
        }
        Page p = newest(CallFilter.byId(id), OptionalLong.empty(), 1, budget);
        return p.calls().stream().findFirst();
    }

    /**
     * The live tail: entries after {@code after} that match.
     *
     * @param after  the last offset already seen
     * @param filter which calls
     * @param max    most entries read (matching or not) in this call
     * @return the matches, oldest first, and the last offset read
     */
    public Tail after(long after, CallFilter filter, int max) {
        List<Entry<CallRecord>> got = journal.read(after + 1, max, 8L << 20);
        List<Entry<CallRecord>> out = new ArrayList<>();
        long last = after;
        for (Entry<CallRecord> e : got) {
            last = e.offset();
            if (matches(filter, e)) {
                out.add(e);
            }
        }
        return new Tail(out, last);
    }

    /**
     * @param calls matching entries, oldest first
     * @param last  the last offset read: the next call starts after it
     */
    public record Tail(List<Entry<CallRecord>> calls, long last) {
    }

    /** @return the offset of the newest entry, -1 when the journal is empty */
    public long newestOffset() {
        return journal.stats().headOffset() - 1;
    }

    private boolean matches(CallFilter filter, Entry<CallRecord> e) {
        return filter.matches(e.value(), e.timestampMillis(), () -> outcomes.of(e.offset(), e.value().status()));
    }
}
