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
}
