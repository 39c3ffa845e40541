package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.journal.Entry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Journal entries on their way to one destination, with the records as that destination may see
 * them (redacted for it). The record list is owned and immutable: it is handed to plugin code.
 *
 * @param entries the journal entries, in offset order
 * @param records their records, redacted for the lane, in the same order
 */
record Batch(List<Entry<CallRecord>> entries, List<CallRecord> records) {
    Batch {
        entries = List.copyOf(entries);
        records = List.copyOf(records);
    }

    int size() {
        return entries.size();
    }

    /**
     * @return the journal's encoding of each record the lane left as it was (the same object), by
     *         identity, for {@link dev.llmhub.core.record.EncodedRecords#lend}
     */
    Map<CallRecord, byte[]> journaledJson() {
        Map<CallRecord, byte[]> m = new IdentityHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Entry<CallRecord> e = entries.get(i);
            if (e.encoded() != null && e.value() == records.get(i)) {
                m.put(e.value(), e.encoded());
            }
        }
        return m;
    }

    /** @param ids record ids to keep @return the part of this batch with those records */
    Batch only(Set<String> ids) {
        List<Entry<CallRecord>> e = new ArrayList<>();
        List<CallRecord> r = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (ids.contains(records.get(i).id())) {
                e.add(entries.get(i));
                r.add(records.get(i));
            }
        }
        return new Batch(e, r);
    }

    /** Shows sizes only: records carry message content. */
    @Override
    public String toString() {
        return "Batch[" + entries.size() + " record(s)]";
    }
}
