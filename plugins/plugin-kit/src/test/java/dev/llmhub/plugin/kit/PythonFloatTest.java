package dev.llmhub.plugin.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Its users test it against Python's output; here, the values only it meets and every magnitude. */
class PythonFloatTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({"NaN, nan", "Infinity, inf", "-Infinity, -inf", "-0.0, -0.0", "0.0, 0.0",
            "1.7976931348623157e308, 1.7976931348623157e+308", "9999999999999998.0, 9999999999999998.0"})
    void valuesAtTheEdgesPrintAsPythonReprDoes(double value, String python) {
        assertEquals(python, PythonFloat.repr(value));
    }

    /** The layout done by hand agrees with the plain one through BigDecimal it replaced. */
    @Test
    void formatsEveryMagnitudeAsTheBigDecimalLayoutDid() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 30_000; i++) {
            double v = switch (i % 3) {
                case 0 -> random.nextDouble() * Math.pow(10, random.nextInt(-12, 20));
                case 1 -> Math.round(random.nextDouble() * 1e6) / Math.pow(10, random.nextInt(0, 12));
                default -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
            };
            double value = i % 7 == 0 ? -v : v;
            assertEquals(viaBigDecimal(value), PythonFloat.repr(value), () -> Double.toString(value));
        }
    }

    private static String viaBigDecimal(double value) {
        if (value == 0) {
            return "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        int exponent = bd.precision() - bd.scale() - 1;
        if (exponent < -4 || exponent >= 16) {
            String digits = bd.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int abs = Math.abs(exponent);
            return (bd.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
        }
        String plain = bd.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
