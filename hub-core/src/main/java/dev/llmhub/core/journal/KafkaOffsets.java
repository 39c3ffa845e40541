package dev.llmhub.core.journal;

/**
 * How the Kafka journal turns a partition and an offset into the one {@code long} of the journal's
 * contract, and back.
 *
 * <p><b>Entry offsets</b> ({@link Entry#offset()}, {@link Journal#offsetAt}, {@link Journal#read},
 * {@link JournalReader#seek}) are <em>addresses</em>: the partition in bits 48–62, the partition's own
 * offset in bits 0–47 (2<sup>48</sup> records per partition: nine years at a million a second; 32767
 * partitions). Ordered by partition, then offset: a read that continues from "last offset + 1" walks
 * every partition in turn. For a topic with <em>one</em> partition the address is Kafka's offset itself.
 *
 * <p><b>Cursor and journal positions</b> ({@link JournalReader#position()}, {@link JournalReader#committed()},
 * {@link CursorInfo#committed()}, {@link JournalStats#oldestOffset()}, {@link JournalStats#headOffset()})
 * are <em>sums</em> of the per-partition offsets over the topic's partitions: for one partition Kafka's
 * offset again; for several, counts whose differences are record counts (head − committed = a
 * destination's lag, head − oldest = what the topic retains, position − committed = what this replica
 * has in flight). Sums are not addresses: they are shown, never passed to {@code seek}.
 */
final class KafkaOffsets {
    /** Bits of the partition's own offset. */
    static final int OFFSET_BITS = 48;
    /** The largest offset an address holds. */
    static final long MAX_OFFSET = (1L << OFFSET_BITS) - 1;
    /** The largest partition number an address holds. */
    static final int MAX_PARTITION = (1 << (63 - OFFSET_BITS)) - 1;

    private KafkaOffsets() {
    }

    /** @param partition a partition @param offset its offset @return the address */
    static long address(int partition, long offset) {
        if (partition < 0 || partition > MAX_PARTITION) {
            throw new IllegalArgumentException("partition out of range: " + partition);
        }
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new IllegalArgumentException("offset out of range: " + offset);
        }
        return ((long) partition << OFFSET_BITS) | offset;
    }

    /** @param address an address (negative ones count as 0) @return its partition */
    static int partition(long address) {
        return (int) (Math.max(0, address) >>> OFFSET_BITS);
    }

    /** @param address an address (negative ones count as 0) @return the partition's offset */
    static long offset(long address) {
        return Math.max(0, address) & MAX_OFFSET;
    }
}
