package dev.llmhub.plugin.elasticsearch;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Cost;
import dev.llmhub.core.record.SampleRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Call records for these tests, built from the core's sample records. */
final class Records {
    private Records() {
    }

    /** @param n how many @return n successful records with distinct ids, start times with microseconds */
    static List<CallRecord> successes(int n) {
        List<CallRecord> out = new ArrayList<>();
        Instant base = Instant.parse("2026-11-26T10:15:30.123456Z");
        for (int i = 0; i < n; i++) {
            Instant start = base.plusSeconds(i);
            out.add(SampleRecords.seedSuccess().startTime(start).endTime(start.plusMillis(400 + i)).build());
        }
        return out;
    }

    /**
     * @param model model
     * @param user  user
     * @param cost  total cost
     * @param day   start day, e.g. {@code 2026-11-25}
     * @return a successful record
     */
    static CallRecord call(String model, String user, double cost, String day) {
        Instant start = Instant.parse(day + "T12:00:00Z");
        return SampleRecords.seedSuccess().model(model).modelGroup(model).user(user).endUser(user)
                .startTime(start).endTime(start.plusMillis(250))
                .cost(new Cost(cost / 2, cost / 2, cost, "USD", Cost.Source.CONFIG)).build();
    }

    /** @param depth how deep @return a record whose metadata nests {@code depth} objects */
    static CallRecord deepMetadata(int depth) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("leaf", "x");
        for (int i = 0; i < depth; i++) {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("level" + i, inner);
            inner = outer;
        }
        return SampleRecords.seedSuccess().metadata(inner).build();
    }
}
