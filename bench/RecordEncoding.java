import dev.llmhub.api.CallRecord;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.core.record.SampleRecords;

/**
 * How long encoding one call record to its JSON takes (what the journal does for every call, on a request
 * thread): the seed's record, ROUNDS rounds of N encodings in one JVM, µs per record per round; the first
 * rounds are the JIT's warm-up, read the last ones. Run by bench/record-encoding.sh.
 */
public final class RecordEncoding {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 400_000;
        CallRecord r = SampleRecords.seedSuccess().build();
        long sink = 0;
        for (int round = 1; round <= rounds; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += CallRecordJson.bytes(r).length;
            }
            System.out.printf("round %d: %.2f us/record%n", round, (System.nanoTime() - t) / 1000.0 / n);
        }
        System.out.printf("record: %d bytes (checksum %d)%n", CallRecordJson.bytes(r).length, sink);
    }
}
