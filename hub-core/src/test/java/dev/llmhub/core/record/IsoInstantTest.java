package dev.llmhub.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    @Test
    void writesWhatInstantToStringWritesAcrossTheCenturiesAndEveryFractionWidth() {
        SplittableRandom random = new SplittableRandom(20261201);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L - 86_400 * 3, 253_402_300_800L + 86_400 * 3);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nano);
            assertEquals(t.toString(), IsoInstant.format(t), () -> "seconds " + seconds + " nanos " + nano);
        }
    }

    @Test
    void theEdgesOfTheFastRangeAndLeapDays() {
        for (String s : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z",
                "-0001-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.000001Z", "2000-02-29T12:00:00.100Z",
                "2100-02-28T23:59:59Z", "2100-03-01T00:00:00Z", "2026-12-01T02:42:29.123456789Z"}) {
            Instant t = Instant.parse(s);
            assertEquals(t.toString(), IsoInstant.format(t), s);
        }
    }
}
