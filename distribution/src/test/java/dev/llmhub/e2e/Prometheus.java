package dev.llmhub.e2e;

import java.util.OptionalDouble;

/** Reads one sample out of a {@code /metrics} scrape (Prometheus text format). */
final class Prometheus {
    private Prometheus() {
    }

    /**
     * @param scrape the text of {@code GET /metrics}
     * @param name   the sample name, e.g. {@code llmhub_destination_records_total}
     * @param labels name, value, name, value… that the sample must carry (in any order)
     * @return the sample's value, when exactly such a sample is present
     */
    static OptionalDouble sample(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String labelText = close < 0 ? "" : line.substring(name.length() + 1, close);
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= ("," + labelText + ",").contains("," + labels[i] + "=\"" + labels[i + 1] + "\",");
            }
            if (all) {
                return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return OptionalDouble.empty();
    }
}
