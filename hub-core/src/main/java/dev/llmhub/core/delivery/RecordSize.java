package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import java.util.List;
import java.util.Map;

/**
 * A cheap estimate of a record's JSON size, for {@code batch_max_bytes}: a fixed allowance for the
 * fixed fields plus the length of every string in the variable parts. Serializing each record just
 * to measure it would cost more than the export.
 */
final class RecordSize {
    private static final int FIXED_FIELDS = 1200;

    private RecordSize() {
    }

    static long estimate(CallRecord r) {
        long n = FIXED_FIELDS;
        n += tree(r.messages());
        n += r.response().map(c -> tree(c.choices())).orElse(0L);
        n += tree(r.requestParams());
        n += tree(r.metadata());
        n += tree(r.headers());
        n += r.attempts().size() * 250L;
        return n;
    }

    private static long tree(Object v) {
        if (v instanceof String s) {
            return s.length() + 3;
        }
        if (v instanceof Map<?, ?> m) {
            long n = 2;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                n += String.valueOf(e.getKey()).length() + 4 + tree(e.getValue());
            }
            return n;
        }
        if (v instanceof List<?> l) {
            long n = 2;
            for (Object o : l) {
                n += tree(o) + 1;
            }
            return n;
        }
        return 8;
    }
}
