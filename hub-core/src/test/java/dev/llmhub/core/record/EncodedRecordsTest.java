package dev.llmhub.core.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.llmhub.api.CallRecord;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lent journal bytes: used for that very record on that thread during the call, and nowhere else. */
class EncodedRecordsTest {
    private final CallRecord lentOne = SampleRecords.seedSuccess().build();
    private final CallRecord equalCopy = lentOne.toBuilder().build();

    @Test
    void writeUsesTheLentBytesOfThatVeryRecordOnly() throws Exception {
        // Bytes that differ from the encoding, so the test tells which one was used.
        Map<CallRecord, byte[]> lent = new IdentityHashMap<>();
        lent.put(lentOne, "{\"lent\":true}".getBytes(StandardCharsets.UTF_8));
        String expected = new String(CallRecordJson.bytes(lentOne), StandardCharsets.UTF_8);
        EncodedRecords.lend(lent, () -> {
            assertEquals("{\"lent\":true}", CallRecordJson.write(lentOne));
            assertEquals(expected, CallRecordJson.write(equalCopy), "an equal record is another object: encoded");
            return null;
        });
        assertEquals(expected, CallRecordJson.write(lentOne), "after the call nothing is lent");
    }

    @Test
    void utf8GivesACopyOfTheLentBytesAndTheSameJsonAsWrite() throws Exception {
        byte[] journaled = "{\"lent\":true}".getBytes(StandardCharsets.UTF_8);
        Map<CallRecord, byte[]> lent = new IdentityHashMap<>();
        lent.put(lentOne, journaled);
        EncodedRecords.lend(lent, () -> {
            byte[] given = CallRecordJson.utf8(lentOne);
            assertArrayEquals(journaled, given);
            assertNotSame(journaled, given, "other lanes read the journal's array: a plugin gets its own");
            assertArrayEquals(CallRecordJson.bytes(equalCopy), CallRecordJson.utf8(equalCopy));
            return null;
        });
        Map<String, Object> tree = Map.of("k", java.util.List.of(1, "é", Map.of()));
        assertEquals(CallRecordJson.write(tree), new String(CallRecordJson.utf8(tree), StandardCharsets.UTF_8));
    }

    @Test
    void anotherThreadDoesNotSeeWhatWasLent() throws Exception {
        Map<CallRecord, byte[]> lent = new IdentityHashMap<>();
        lent.put(lentOne, "{\"lent\":true}".getBytes(StandardCharsets.UTF_8));
        String seenElsewhere = EncodedRecords.lend(lent, () -> {
            String[] out = new String[1];
            Thread t = Thread.ofPlatform().start(() -> out[0] = CallRecordJson.write(lentOne));
            t.join();
            return out[0];
        });
        assertEquals(new String(CallRecordJson.bytes(lentOne), StandardCharsets.UTF_8), seenElsewhere);
    }
}
