package dev.llmhub.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** What the benchmarks share: when warm-up is over, and cleaning up after a run. */
final class Benchmarks {
    private Benchmarks() {
    }

    /** @return whether the last three windows' rates are within 10 % of their mean: the JIT is done */
    static boolean plateau(List<Double> rates) {
        if (rates.size() < 3) {
            return false;
        }
        List<Double> last = rates.subList(rates.size() - 3, rates.size());
        double mean = last.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return mean > 0 && last.stream().allMatch(r -> Math.abs(r - mean) <= 0.1 * mean);
    }

    /** Deletes a run's folder (journal, files written): hundreds of MB after a run. */
    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
