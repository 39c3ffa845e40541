package dev.llmhub.core.record;

import dev.llmhub.api.CallRecord;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The documented JSON of records this process has just journaled, lent for the length of one call
 * (a destination's export) on its thread, so that {@link CallRecordJson#write(Object)} — what
 * {@code PluginContext.toJson} does — hands back the journal's bytes instead of encoding the record a
 * second time. A destination that writes the documented form (the file, Kafka) spent a quarter of the
 * proxy's samples re-encoding (docs/performance.md, the file row's profile).
 *
 * <p>Lookups are by identity: a record redacted for the lane is another object and is encoded as
 * usual, so what a destination sees never depends on whether the bytes were at hand.
 */
public final class EncodedRecords {
    private static final ThreadLocal<Map<CallRecord, byte[]>> LENT = new ThreadLocal<>();

    private EncodedRecords() {
    }

    /**
     * Runs {@code call} with the encodings lent on this thread.
     *
     * @param encodings each record's documented JSON as the journal wrote it, in an identity map
     *                  ({@link java.util.IdentityHashMap}); empty: nothing lent
     * @param call      what may ask for them
     * @return what {@code call} returned
     * @throws Exception what {@code call} threw
     */
    public static <T> T lend(Map<CallRecord, byte[]> encodings, Callable<T> call) throws Exception {
        if (encodings.isEmpty()) {
            return call.call();
        }
        Map<CallRecord, byte[]> before = LENT.get();
        LENT.set(encodings);
        try {
            return call.call();
        } finally {
            LENT.set(before);
        }
    }

    /** @return the lent encoding of this very record on this thread, or null */
    static byte[] lent(CallRecord r) {
        Map<CallRecord, byte[]> m = LENT.get();
        return m == null ? null : m.get(r);
    }
}
