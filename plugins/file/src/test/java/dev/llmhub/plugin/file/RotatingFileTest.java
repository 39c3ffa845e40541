package dev.llmhub.plugin.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileTest {

    /** Lines around and beyond the reused buffer's size come out whole, in order, one per line. */
    @Test
    void batchesLargerThanTheBufferAndLinesLongerThanItComeOutWholeAndInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("calls.jsonl");
        RotatingFile rotating = new RotatingFile(file, Long.MAX_VALUE, 3, false, () -> { });
        List<String> expected = new ArrayList<>();
        List<byte[]> batch = new ArrayList<>();
        int[] sizes = {10, 100_000, 262_143, 262_144, 262_145, 3, 700_000, 1, 150_000, 150_000};
        for (int i = 0; i < sizes.length; i++) {
            String line = String.valueOf((char) ('a' + i)).repeat(sizes[i]);
            expected.add(line);
            batch.add(line.getBytes(StandardCharsets.UTF_8));
        }
        rotating.append(batch);
        rotating.append(List.of("last".getBytes(StandardCharsets.UTF_8)));
        expected.add("last");
        assertEquals(expected, Files.readAllLines(file));
    }
}
