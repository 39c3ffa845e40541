package dev.llmhub.core.hub;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the last config reload did.
 *
 * @param time     when it ran
 * @param trigger  what asked for it: {@code file change}, {@code SIGHUP}, {@code admin API}
 * @param applied  whether the new file is now the running config
 * @param error    why it was refused ({@code FILE:LINE: key: problem}), when it was
 * @param changes  what changed, one line each
 * @param warnings settings that changed but need a restart to take effect
 */
public record ReloadResult(Instant time, String trigger, boolean applied, Optional<String> error, List<String> changes,
                           List<String> warnings) {
    public ReloadResult {
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
    }
}
