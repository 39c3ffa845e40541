package dev.llmhub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Call ids are RFC 9562 version 7 UUIDs: their time, then random bits. */
class CallIdFilterTest {

    @Test
    void idsAreVersion7UuidsCarryingTheirTimeAndNeverRepeat() {
        long before = System.currentTimeMillis();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = CallIdFilter.newId();
            UUID u = UUID.fromString(id);
            assertEquals(id, u.toString(), "canonical lower-case form");
            assertEquals(7, u.version(), id);
            assertEquals(2, u.variant(), id);
            long millis = u.getMostSignificantBits() >>> 16;
            assertTrue(millis >= before && millis <= System.currentTimeMillis(), id + " carries " + millis);
            assertTrue(seen.add(id), "repeated " + id);
        }
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnes() throws InterruptedException {
        String first = CallIdFilter.newId();
        long t = System.currentTimeMillis();
        while (System.currentTimeMillis() == t) {
            Thread.onSpinWait();
        }
        String second = CallIdFilter.newId();
        assertTrue(first.compareTo(second) < 0, first + " then " + second);
    }
}
