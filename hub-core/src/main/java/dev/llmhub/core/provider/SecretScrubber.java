package dev.llmhub.core.provider;

import java.util.regex.Pattern;

/**
 * Removes key-like strings from upstream error text before it reaches a client, a log or a record:
 * OpenAI echoes part of a wrong key ("Incorrect API key provided: sk-abc***xyz").
 */
public final class SecretScrubber {
    private static final Pattern KEYISH = Pattern.compile(
            "(?i)(sk|pk|rk|key|sess)-[A-Za-z0-9_*.\\-]{6,}|Bearer\\s+\\S+|[A-Za-z0-9_\\-]{32,}");

    private SecretScrubber() {
    }

    /**
     * @param text   provider text
     * @param secret the deployment's key (removed verbatim too), may be null
     * @return the text without anything that looks like a key, at most 500 characters
     */
    public static String scrub(String text, String secret) {
        if (text == null) {
            return "";
        }
        String out = text;
        if (secret != null && !secret.isEmpty()) {
            out = out.replace(secret, "[REDACTED]");
        }
        out = KEYISH.matcher(out).replaceAll("[REDACTED]");
        return out.length() > 500 ? out.substring(0, 500) + "…" : out;
    }
}
