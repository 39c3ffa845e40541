package dev.llmhub.core.journal;

import java.time.Instant;

/**
 * A kept cursor.
 *
 * @param name      its name
 * @param committed the first offset not yet acknowledged
 * @param open      whether a reader has it open now
 * @param lastUsed  when it was last opened, acknowledged or closed (cursors unused for longer than
 *                  {@code max_age} are deleted)
 */
public record CursorInfo(String name, long committed, boolean open, Instant lastUsed) {

    /**
     * @param name           the cursor's name
     * @param reader         its open reader, or null: then what the cursor kept when it was closed counts
     * @param keptCommitted  the committed offset it kept
     * @param keptLastUsed   when it was last used, as it kept it (epoch millis)
     * @return the reader's live position and use when it is open, else what was kept
     */
    static CursorInfo of(String name, AckTrackingReader<?> reader, long keptCommitted, long keptLastUsed) {
        return reader != null
                ? new CursorInfo(name, reader.committed(), true, Instant.ofEpochMilli(reader.lastUsedMillis))
                : new CursorInfo(name, keptCommitted, false, Instant.ofEpochMilli(keptLastUsed));
    }
}
