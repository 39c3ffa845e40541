package dev.llmhub.core.journal;

import java.util.Optional;
import java.time.Instant;

/**
 * What the journal holds and has done, for {@code /metrics} and the admin API.
 *
 * @param kind            {@code local}, {@code memory}, …
 * @param durability      {@code process}, {@code fsync} or {@code memory}
 * @param sizeBytes       bytes retained (all segments, framing included)
 * @param segments        segment count (1 for a memory journal)
 * @param oldestOffset    offset of the oldest retained entry (equals {@code headOffset} when empty)
 * @param headOffset      offset the next append gets
 * @param oldestTimestamp when the oldest retained entry was appended
 * @param appended        entries appended since start
 * @param writeFailures   appends that could not be written since start
 */
public record JournalStats(String kind, String durability, long sizeBytes, int segments, long oldestOffset,
                           long headOffset, Optional<Instant> oldestTimestamp, long appended, long writeFailures) {
}
