package dev.llmhub.plugin.otel;

import java.util.Locale;
import java.util.Optional;

/**
 * Where message content goes, the values of OpenTelemetry's
 * {@code OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT}: on the inference span's attributes
 * ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}, {@code gen_ai.tool.definitions}), in
 * the {@code gen_ai.client.inference.operation.details} event, both, or nowhere.
 */
enum ContentCapture {
    NO_CONTENT, SPAN_ONLY, EVENT_ONLY, SPAN_AND_EVENT;

    boolean onSpan() {
        return this == SPAN_ONLY || this == SPAN_AND_EVENT;
    }

    boolean inEvent() {
        return this == EVENT_ONLY || this == SPAN_AND_EVENT;
    }

    /** @return the mode for a setting's value: a boolean ({@code true} is {@link #SPAN_ONLY}) or a mode's name */
    static Optional<ContentCapture> of(Object value) {
        if (value instanceof Boolean b) {
            return Optional.of(b ? SPAN_ONLY : NO_CONTENT);
        }
        String text = value.toString().trim().toUpperCase(Locale.ROOT);
        return switch (text) {
            case "TRUE" -> Optional.of(SPAN_ONLY);
            case "FALSE" -> Optional.of(NO_CONTENT);
            default -> {
                try {
                    yield Optional.of(valueOf(text));
                } catch (IllegalArgumentException e) {
                    yield Optional.empty();
                }
            }
        };
    }
}
