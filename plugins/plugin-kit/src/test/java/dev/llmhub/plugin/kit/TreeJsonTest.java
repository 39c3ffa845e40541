package dev.llmhub.plugin.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TreeJsonTest {
    private static final ObjectMapper MAPPER = PluginJson.newMapper();

    static List<Object> trees() {
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("gone", null);
        withNull.put("kept", "x");
        return Arrays.asList(
                null, "", "plain", "quote \" backslash \\ newline \n tab \t control \u0001 emoji 😀 é",
                0, -1, Integer.MAX_VALUE, Long.MIN_VALUE, 0.1, -2.5e-300, Double.NaN, Double.POSITIVE_INFINITY,
                1.5f, new BigDecimal("12345678901234567890.000001"), new BigInteger("123456789012345678901234567890"),
                true, false, List.of(), Map.of(), withNull,
                List.of(Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "hi")))),
                Map.of("nested", Map.of("deeper", List.of(1, 2L, 3.0, "4", false))),
                Map.of("other", UUID.fromString("00000000-0000-0000-0000-0000000000aa")));
    }

    @ParameterizedTest
    @MethodSource("trees")
    void writesTheBytesTheMapperWrites(Object tree) throws Exception {
        assertEquals(new String(MAPPER.writeValueAsBytes(tree), StandardCharsets.UTF_8),
                new String(TreeJson.bytes(MAPPER, tree), StandardCharsets.UTF_8));
    }
}
