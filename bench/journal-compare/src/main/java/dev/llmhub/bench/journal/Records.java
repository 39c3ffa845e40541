package dev.llmhub.bench.journal;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.core.record.SampleRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Realistic call records (the seed's call, about 2 KB of JSON) and their bytes. */
final class Records {
    private Records() {
    }

    /** @return {@code n} different records, 1.8 to 2.3 KB of JSON each */
    static List<CallRecord> records(int n) {
        Random random = new Random(42);
        List<CallRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String question = "good morning good sir, question " + i + " " + "x".repeat(random.nextInt(400));
            out.add(SampleRecords.seedSuccess().messages(List.of(Map.of("role", "user", "content", question))).build());
        }
        return out;
    }

    /** @return the JSON of {@link #records} */
    static List<byte[]> bytes(int n) {
        return records(n).stream().map(CallRecordJson::bytes).toList();
    }
}
