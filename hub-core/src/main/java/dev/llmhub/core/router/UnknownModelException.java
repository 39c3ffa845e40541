package dev.llmhub.core.router;

import java.util.Set;

/** The client asked for a model no {@code model_name} matches. */
public final class UnknownModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownModelException(String model, Set<String> known) {
        super("model '" + model + "' is not configured on this proxy; available models: "
                + (known.isEmpty() ? "(none)" : String.join(", ", known)), null, false, false);
    }
}
