package dev.llmhub.core.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Resolves LiteLLM's {@code os.environ/NAME} references: the process environment first, then the
 * config's {@code environment_variables} defaults. An unset variable makes the value absent and is
 * reported once (by name only: the value may be a secret).
 */
final class EnvResolver {
    static final String PREFIX = "os.environ/";
    private static final Logger LOG = Logger.getLogger(ConfigLoader.class.getName());

    private final Map<String, String> environment;
    private final Map<String, String> defaults;
    private final Set<String> reported = new HashSet<>();

    EnvResolver(Map<String, String> environment, Map<String, String> defaults) {
        this.environment = environment;
        this.defaults = defaults;
    }

    Optional<String> resolve(String raw, YamlValue where) {
        if (!raw.startsWith(PREFIX)) {
            return Optional.of(raw);
        }
        String name = raw.substring(PREFIX.length()).strip();
        if (name.isEmpty()) {
            throw where.error("'os.environ/' needs a variable name, e.g. os.environ/OPENAI_API_KEY");
        }
        String value = environment.get(name);
        if (value == null) {
            value = defaults.get(name);
        }
        if (value == null && reported.add(name)) {
            LOG.log(Level.WARNING, "{0}: {1}: environment variable {2} is not set",
                    new Object[] {where.where(), where.path(), name});
        }
        return Optional.ofNullable(value);
    }

    /** Looks a variable up the same way, for providers' defaults such as OPENAI_API_KEY. */
    Optional<String> lookup(String name) {
        String value = environment.get(name);
        return Optional.ofNullable(value != null ? value : defaults.get(name));
    }
}
