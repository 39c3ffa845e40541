package dev.llmhub.e2e;

import java.util.List;

/** When a benchmark's warm-up is over: the request rate stopped climbing. */
final class Plateau {
    private Plateau() {
    }

    /** @return whether the last three windows' rates are within 10 % of their mean */
    static boolean reached(List<Double> rates) {
        if (rates.size() < 3) {
            return false;
        }
        List<Double> last = rates.subList(rates.size() - 3, rates.size());
        double mean = last.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return mean > 0 && last.stream().allMatch(r -> Math.abs(r - mean) <= 0.1 * mean);
    }
}
