package dev.llmhub.plugin.customcallbacks;

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
            return floating(((Number) value).doubleValue());
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

    /**
     * Python's float repr: the shortest digits that read back to the same double, in plain notation
     * when the decimal exponent is in [-4, 16), else {@code d.ddde-05}. Java's {@link Double#toString}
     * has given the shortest digits since JDK 19, only in another notation ({@code 3.65E-5}).
     */
    static String floating(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int e = Math.abs(exponent);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
        }
        String plain = shortest.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
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
