package dev.llmhub.plugin.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's {@code bootstrap_servers} as a config gives them: a list whose entries may each hold several
 * comma-separated {@code host:port}s (an environment variable often does). Read the same way by the
 * proxy's Kafka journal and the kafka destination plugin.
 */
public final class KafkaBootstrapServers {
    /** {@code host:port}, an IPv6 literal in brackets, with or without a {@code scheme://} as Kafka allows. */
    private static final Pattern HOST_PORT = Pattern.compile(
            "(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?(\\[[0-9a-fA-F:.%]+]|[0-9a-zA-Z._-]+):([0-9]{1,5})");

    private KafkaBootstrapServers() {
    }

    /**
     * @param entries the configured entries
     * @return every server, stripped, in order; empty when the entries hold none (the caller says why)
     * @throws IllegalArgumentException for the first server that is not {@code host:port}, naming it
     */
    public static List<String> parse(List<String> entries) {
        List<String> out = new ArrayList<>();
        for (String entry : entries) {
            for (String one : entry.split(",")) {
                String server = one.strip();
                if (server.isEmpty()) {
                    continue;
                }
                Matcher m = HOST_PORT.matcher(server);
                int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("'" + server + "' is not host:port; expected e.g. kafka-1:9092");
                }
                out.add(server);
            }
        }
        return out;
    }
}
