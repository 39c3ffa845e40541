package dev.llmhub.plugin.otel;

import java.util.Optional;

/** The OTLP transports this plugin speaks ({@code OTEL_EXPORTER_OTLP_PROTOCOL}). */
enum Protocol {
    GRPC("grpc", 4317),
    HTTP_PROTOBUF("http/protobuf", 4318);

    private final String wireName;
    private final int defaultPort;

    Protocol(String wireName, int defaultPort) {
        this.wireName = wireName;
        this.defaultPort = defaultPort;
    }

    String wireName() {
        return wireName;
    }

    /** The port a collector listens on for this protocol, used when the endpoint names none. */
    int defaultPort() {
        return defaultPort;
    }

    static Optional<Protocol> of(String text) {
        for (Protocol p : values()) {
            if (p.wireName.equalsIgnoreCase(text.trim())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
