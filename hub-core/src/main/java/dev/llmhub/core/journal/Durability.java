package dev.llmhub.core.journal;

import java.util.Locale;

/** How far an append has gone when the client's response completes ({@code general_settings.durability}). */
public enum Durability {
    /** Kept in memory only: lost when the process dies (the pre-journal behaviour). */
    MEMORY,
    /** Written to the OS (the write call returned): survives a process crash, not a power loss. */
    PROCESS,
    /** Written and fsynced: survives a power loss. */
    FSYNC;

    /** @return the YAML spelling */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
