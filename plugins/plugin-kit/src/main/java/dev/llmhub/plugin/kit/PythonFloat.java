package dev.llmhub.plugin.kit;

/**
 * Python's {@code repr(float)}, for output that must read as LiteLLM's (a Python program) does: the
 * shortest digits that read back to the same double, in plain notation when the decimal exponent is in
 * [-4, 16), else {@code d.ddde-05}. Here, not in the proxy, because the proxy (its cost header) and the
 * custom-callbacks plugin (its log lines) both print floats this way, and a plugin cannot use the proxy's
 * classes.
 */
public final class PythonFloat {

    private PythonFloat() {
    }

    /**
     * The digits are {@link Double#toString}'s (the shortest that round-trip, since JDK 19), re-laid out
     * by hand: going through {@code BigDecimal} was a tenth of the bytes a proxied request allocated.
     *
     * @param value any double
     * @return e.g. {@code 3.65e-05}, {@code 0.0001}, {@code 2.0}, {@code 1e+16}, {@code -0.0}, {@code nan}, {@code inf}
     */
    public static String repr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0.0" : "0.0";
        }
        String text = Double.toString(Math.abs(value)); // "123.45", "0.0012", "3.65E-5" or "1.0E16"
        int e = text.indexOf('E');
        String mantissa = e < 0 ? text : text.substring(0, e);
        int dot = mantissa.indexOf('.');
        StringBuilder digits = new StringBuilder(mantissa.length()).append(mantissa, 0, dot).append(mantissa, dot + 1, mantissa.length());
        int point = dot + (e < 0 ? 0 : Integer.parseInt(text, e + 1, text.length(), 10)); // digits before the point
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
            lead++;
        }
        digits.delete(0, lead);
        point -= lead;
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits.setLength(end);
        int exponent = point - 1;
        StringBuilder out = new StringBuilder(24);
        if (value < 0) {
            out.append('-');
        }
        if (exponent < -4 || exponent >= 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int abs = Math.abs(exponent);
            return out.append('e').append(exponent < 0 ? '-' : '+').append(abs < 10 ? "0" : "").append(abs).toString();
        }
        if (point <= 0) {
            return out.append("0.").repeat('0', -point).append(digits).toString();
        }
        if (point >= digits.length()) {
            return out.append(digits).repeat('0', point - digits.length()).append(".0").toString();
        }
        return out.append(digits, 0, point).append('.').append(digits, point, digits.length()).toString();
    }
}
