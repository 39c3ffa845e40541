package dev.llmhub.api;

/**
 * Says what went wrong in one line, for an {@link ExportResult}'s reason or a log line. The core
 * uses it too, so a plugin's reasons read like the proxy's own.
 */
public final class Failures {
    private Failures() {
    }

    /**
     * The exception chain's class names and messages, outermost first, joined by {@code " <- "}. The
     * messages are repeated as they are: scrub them when the library may echo a credential in one.
     *
     * @param e     what was thrown
     * @param depth how many links of the chain to say at most (the rest is usually the same story)
     * @return e.g. {@code TimeoutException: Topic t not present in metadata <- ...}
     */
    public static String describe(Throwable e, int depth) {
        StringBuilder s = new StringBuilder();
        Throwable t = e;
        int said = 0;
        while (t != null && said++ < depth) {
            if (!s.isEmpty()) {
                s.append(" <- ");
            }
            s.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                s.append(": ").append(t.getMessage());
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return s.toString();
    }
}
