package dev.llmhub.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of the proxy's {@code /metrics} (Prometheus text), read sample by sample and label by label. */
final class PrometheusScrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    PrometheusScrape(String text) {
        this.text = text;
    }

    /**
     * @param name   the sample name, e.g. {@code llmhub_destination_records_total}
     * @param labels label name, value, name, value… that the sample must carry (others may be present)
     * @return the sum of the matching samples' values, or -1 when none matches
     */
    double value(String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> present = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    present.put(l.group(1), l.group(2));
                }
            }
            boolean matches = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                matches &= labels[i + 1].equals(present.get(labels[i]));
            }
            if (matches) {
                sum += Double.parseDouble(m.group(3));
                found = true;
            }
        }
        return found ? sum : -1;
    }

    /** @return {@code llmhub_destination_records_total} of a destination and outcome (exported, retried, failed, dropped); -1 when absent */
    double records(String destination, String outcome) {
        return value("llmhub_destination_records_total", "destination", destination, "outcome", outcome);
    }

    /** @return {@code llmhub_destination_lag_records} of a destination; -1 when absent */
    double lag(String destination) {
        return value("llmhub_destination_lag_records", "destination", destination);
    }

    @Override
    public String toString() {
        return text;
    }
}
