package dev.llmhub.core.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal codec: the documented JSON, read back into an equal record. */
class CallRecordCodecTest {
    private final CallRecordCodec codec = new CallRecordCodec();

    @Test
    void sampleRecordsComeBackEqual() {
        for (CallRecord r : List.of(SampleRecords.seedSuccess().build(), SampleRecords.rateLimitedFailure().build(),
                SampleRecords.seedSuccess().stream(true).firstTokenTime(java.time.Instant.parse("2026-11-26T10:15:30.200Z"))
                        .parentSpanId("b7ad6b7169203331").build())) {
            assertEquals(r, codec.decode(codec.encode(r)));
        }
    }

    @Test
    void randomRecordsComeBackEqual() {
        RandomRecords random = new RandomRecords(42);
        for (int i = 0; i < 500; i++) {
            CallRecord r = random.next();
            byte[] bytes = codec.encode(r);
            CallRecord back = codec.decode(bytes);
            assertEquals(r, back, "record " + i + ": " + new String(bytes, StandardCharsets.UTF_8));
            assertArrayEquals(bytes, codec.encode(back), "record " + i + " re-encodes to the same bytes");
        }
    }

    @Test
    void theEncodingIsTheDocumentedJson() {
        CallRecord r = SampleRecords.seedSuccess().build();
        assertEquals(CallRecordJson.write(r), new String(codec.encode(r), StandardCharsets.UTF_8));
        assertEquals(CallRecordJson.toTree(r).toString(), CallRecordJson.write(r));
    }

    @Test
    void unknownAndDerivedFieldsAreIgnored() throws Exception {
        CallRecord r = SampleRecords.rateLimitedFailure().build();
        ObjectNode tree = CallRecordJson.toTree(r);
        tree.put("future_model_field", "gpt-4o-2024-08-06");
        tree.putObject("future_part").putArray("list").add(1).addObject().put("x", true);
        tree.put("duration_ms", 999_999);
        ((ObjectNode) tree.get("error")).put("new_error_field", "x");
        ((ObjectNode) tree.get("attempts").get(0)).put("latency_ms", -1).put("region", "eu");
        ((ObjectNode) tree.get("usage")).put("audio_tokens", 7);
        assertEquals(r, codec.decode(CallRecordJson.mapper().writeValueAsBytes(tree)));
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        String json = CallRecordJson.write(SampleRecords.seedSuccess().build());
        assertTrue(msg(json.substring(0, json.length() / 2)).startsWith("not a call record"));
        assertTrue(msg("[]").contains("record"));
        assertTrue(msg(json.replace("\"chat\"", "\"dance\"")).contains("call_type 'dance'"));
        assertTrue(msg(json.replace("\"2026-11-26T10:15:30.120Z\"", "\"yesterday\"")).contains("start_time"));
        assertTrue(msg(json.replace("\"status\":\"success\"", "\"status\":\"failure\"")).contains("error must be present"));
        assertTrue(msg(json.replace("\"id\":", "\"not_id\":")).contains("id is null"));
    }

    @Test
    void theSizeEstimateIsNearTheEncodedSize() {
        RandomRecords random = new RandomRecords(7);
        for (int i = 0; i < 200; i++) {
            CallRecord r = random.next();
            double ratio = (double) codec.estimateSize(r) / codec.encode(r).length;
            assertTrue(ratio > 0.5 && ratio < 2.5, "estimate/encoded = " + ratio);
        }
        CallRecord seed = SampleRecords.seedSuccess().build();
        double ratio = (double) codec.estimateSize(seed) / codec.encode(seed).length;
        assertTrue(ratio > 0.7 && ratio < 1.5, "estimate/encoded = " + ratio);
    }

    private String msg(String json) {
        return assertThrows(IllegalArgumentException.class, () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .getMessage();
    }
}
