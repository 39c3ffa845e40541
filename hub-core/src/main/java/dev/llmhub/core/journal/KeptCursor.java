package dev.llmhub.core.journal;

import java.time.Instant;

/**
 * A cursor the local or the in-memory journal keeps between readers: where it stands, when it was
 * last used, and what it lost while no reader had it open (handed to the next reader). Guarded by
 * the owning journal's lock.
 *
 * @param <R> the journal's reader
 */
class KeptCursor<R extends AckTrackingReader<?>> {
    final String name;
    long committed;
    long lastUsed;
    long dropped;
    String droppedReason = "";
    R reader;

    KeptCursor(String name) {
        this.name = name;
    }

    /** @return the open reader's live position and use, else what the cursor kept */
    CursorInfo info() {
        return reader != null
                ? new CursorInfo(name, reader.committed(), true, Instant.ofEpochMilli(reader.lastUsedMillis))
                : new CursorInfo(name, committed, false, Instant.ofEpochMilli(lastUsed));
    }

    /** Retention removed entries below {@code offset} while no reader was open; {@code lost} of them were unread. */
    void skipTo(long offset, long lost, String reason) {
        committed = Math.max(committed, offset);
        lost(lost, reason);
    }

    /** {@code r} reads the cursor from now on, and is told what the cursor lost meanwhile. */
    void attach(R r, long now) {
        r.counters.dropped(dropped, droppedReason);
        dropped = 0;
        droppedReason = "";
        reader = r;
        lastUsed = now;
    }

    /**
     * Takes the position back from the closing reader. Entries it read but never acknowledged that
     * retention removed meanwhile (below {@code retainedFrom}) are lost now; those after them were
     * counted when removed, so the cursor moves past all of them and a reopen counts nothing twice.
     *
     * @return how many were lost
     */
    long detach(long retainedFrom, String reason, long now) {
        long c = reader.committed();
        long lost = 0;
        if (c < retainedFrom) {
            lost = reader.unackedBelow(retainedFrom);
            lost(lost, reason);
            c = retainedFrom;
        }
        committed = c;
        lastUsed = now;
        reader = null;
        return lost;
    }

    private void lost(long entries, String reason) {
        if (entries > 0) {
            dropped += entries;
            droppedReason = reason;
        }
    }
}
