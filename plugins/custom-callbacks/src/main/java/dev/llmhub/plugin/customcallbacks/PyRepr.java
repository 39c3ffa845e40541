package dev.llmhub.plugin.customcallbacks;

import dev.llmhub.plugin.kit.PythonFloat;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Writes JSON-like Java values the way Python's {@code repr()} does, because the seed's log is
 * Python printing dicts: {@code {'role': 'user'}}, {@code None}, {@code True}, {@code 3.65e-05}.
 * Maps print in their iteration order, as Python dicts print in insertion order.
 */
final class PyRepr {

    /** Text printed as it is, for what Python shows as a class wrapper, e.g. {@code Headers({...})}. */
    record Verbatim(String text) {
    }

    private PyRepr() {
    }

    static String of(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Verbatim v) {
            return v.text();
        }
        if (value instanceof Optional<?> o) {
            return of(o.orElse(null));
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof String s) {
            return string(s);
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return PythonFloat.repr(((Number) value).doubleValue());
        }
        if (value instanceof Number n) {
            return n instanceof BigInteger ? n.toString() : Long.toString(n.longValue());
        }
        if (value instanceof Map<?, ?> m) {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            m.forEach((k, v) -> j.add(of(k) + ": " + of(v)));
            return j.toString();
        }
        if (value instanceof Collection<?> c) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            c.forEach(v -> j.add(of(v)));
            return j.toString();
        }
        return string(value.toString());
    }

    /** Python's str repr: single quotes unless the text has one and no double quote. */
    static String string(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder(s.length() + 2).append(quote);
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (cp == quote) {
                        b.append('\\').append(quote);
                    } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
                        b.append(String.format("\\x%02x", cp));
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        });
        return b.append(quote).toString();
    }
}
