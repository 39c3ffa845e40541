package dev.llmhub.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML node with its dotted key path and line, so every conversion error can say
 * "FILE:LINE: key.path: problem". Conversions are driven by the type the loader expects, which is
 * how YAML's loose typing ("6" vs 6, True vs true) stays forgiving while wrong shapes are caught.
 */
final class YamlValue {
    private final String file;
    private final String path;
    private final Node node;
    private final EnvResolver env;

    YamlValue(String file, String path, Node node, EnvResolver env) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.env = env;
    }

    String path() {
        return path;
    }

    int line() {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    String where() {
        return file + ":" + line();
    }

    ConfigException error(String problem) {
        return new ConfigException(where() + ": " + path + ": " + problem);
    }

    boolean isNull() {
        return node instanceof ScalarNode s && (Tag.NULL.equals(s.getTag()) || s.getValue().isEmpty() && s.isPlain());
    }

    boolean isMapping() {
        return node instanceof MappingNode;
    }

    boolean isSequence() {
        return node instanceof SequenceNode;
    }

    /** Entries of a mapping in file order; a duplicate key is an error. */
    Map<String, YamlValue> entries() {
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping (key: value lines), found " + kind());
        }
        Map<String, YamlValue> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new YamlValue(file, path, t.getKeyNode(), env).error("keys must be plain strings");
            }
            String childPath = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
            YamlValue child = new YamlValue(file, childPath, t.getValueNode(), env);
            if (out.put(k.getValue(), child) != null) {
                throw new YamlValue(file, childPath, t.getKeyNode(), env).error("duplicate key");
            }
        }
        return out;
    }

    List<YamlValue> items() {
        if (!(node instanceof SequenceNode s)) {
            throw error("expected a list, found " + kind());
        }
        List<YamlValue> out = new ArrayList<>();
        List<Node> nodes = s.getValue();
        for (int i = 0; i < nodes.size(); i++) {
            out.add(new YamlValue(file, path + "[" + i + "]", nodes.get(i), env));
        }
        return out;
    }

    /** A scalar as text, {@code os.environ/NAME} resolved; empty when null or the variable is unset. */
    Optional<String> text() {
        if (isNull()) {
            return Optional.empty();
        }
        if (!(node instanceof ScalarNode s)) {
            throw error("expected a single value, found " + kind());
        }
        return env.resolve(s.getValue(), this);
    }

    String requiredText() {
        return text().filter(v -> !v.isBlank()).orElseThrow(() -> error("is required"));
    }

    Optional<Long> integer() {
        return text().map(v -> {
            try {
                return Long.parseLong(v.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(v.strip());
                    if (d == Math.rint(d) && !Double.isInfinite(d)) {
                        return (long) d;
                    }
                } catch (NumberFormatException ignored) {
                    // fall through to the error below
                }
                throw error("expected a whole number, found '" + v + "'");
            }
        });
    }

    Optional<Double> decimal() {
        return text().map(v -> {
            try {
                double d = Double.parseDouble(v.strip());
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw error("expected a number, found '" + v + "'");
            }
        });
    }

    Optional<Boolean> bool() {
        return text().map(v -> switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("expected true or false, found '" + v + "'");
        });
    }

    /** A string or a list of strings (LiteLLM accepts both for callbacks). */
    List<String> stringList() {
        if (isNull()) {
            return List.of();
        }
        if (isSequence()) {
            List<String> out = new ArrayList<>();
            for (YamlValue item : items()) {
                item.text().ifPresent(out::add);
            }
            return out;
        }
        return text().map(List::of).orElse(List.of());
    }

    /** The subtree as plain Java values (maps, lists, strings, numbers, booleans), env resolved. */
    Object plain() {
        if (isNull()) {
            return null;
        }
        if (node instanceof MappingNode) {
            Map<String, Object> out = new LinkedHashMap<>();
            entries().forEach((k, v) -> out.put(k, v.plain()));
            return out;
        }
        if (node instanceof SequenceNode) {
            List<Object> out = new ArrayList<>();
            items().forEach(v -> out.add(v.plain()));
            return out;
        }
        ScalarNode s = (ScalarNode) node;
        Optional<String> v = text();
        if (v.isEmpty()) {
            return null;
        }
        if (s.isPlain() && s.getValue().equals(v.get())) {
            Tag tag = s.getTag();
            if (Tag.INT.equals(tag)) {
                try {
                    return Long.parseLong(v.get());
                } catch (NumberFormatException e) {
                    return v.get();
                }
            }
            if (Tag.FLOAT.equals(tag)) {
                try {
                    return Double.parseDouble(v.get());
                } catch (NumberFormatException e) {
                    return v.get();
                }
            }
            if (Tag.BOOL.equals(tag)) {
                return Boolean.parseBoolean(v.get().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return v.get();
    }

    private String kind() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
