package dev.llmhub.plugin.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PluginKitTest {

    @Test
    void aPluginsMapperKeepsItsBuffersInAPoolOfItsOwnNotInTheCallersThreadLocals() throws Exception {
        ObjectMapper a = PluginJson.newMapper();
        ObjectMapper b = PluginJson.newMapper();
        assertInstanceOf(JsonRecyclerPools.ConcurrentDequePool.class, a.getFactory()._getRecyclerPool());
        assertNotSame(a.getFactory()._getRecyclerPool(), b.getFactory()._getRecyclerPool());
        assertEquals("{\"k\":[1,true]}", a.writeValueAsString(Map.of("k", List.of(1, true))));
    }

    @Test
    void aReasonWarnsOnceUntilItIsForgotten() {
        List<String> lines = new ArrayList<>();
        OnceLogger log = new OnceLogger(new Recording(lines));
        log.warn("down", "server down");
        log.warn("down", "server down");
        log.warn("refused", "template refused");
        log.forget("down");
        log.warn("down", "server down again");
        log.clear();
        log.warn("refused", "template refused again");
        assertEquals(List.of("WARNING server down", "DEBUG server down", "WARNING template refused",
                "WARNING server down again", "WARNING template refused again"), lines);
    }

    @Test
    void bootstrapServersAreSplitAtCommasAndEachMustBeHostPort() {
        assertEquals(List.of("kafka-1:9092", "kafka-2:9093", "[::1]:9092", "PLAINTEXT://b.example:9094"),
                KafkaBootstrapServers.parse(List.of(" kafka-1:9092, kafka-2:9093 ,", "[::1]:9092", "PLAINTEXT://b.example:9094")));
        assertEquals(List.of(), KafkaBootstrapServers.parse(List.of(" , ")));
        for (String bad : List.of("kafka-1", "kafka-1:0", "kafka-1:65536", "kafka 1:9092")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaBootstrapServers.parse(List.of(bad)));
            assertEquals("'" + bad + "' is not host:port; expected e.g. kafka-1:9092", e.getMessage());
        }
    }

    @Test
    void aMemoComputesEachInputOnceAndStartsOverPastItsCapacity() {
        List<String> computed = new ArrayList<>();
        BoundedMemo<String, Integer> memo = new BoundedMemo<>(2, s -> {
            computed.add(s);
            return s.length();
        });
        assertEquals(1, memo.get("a"));
        assertEquals(2, memo.get("bb"));
        assertEquals(1, memo.get("a"));
        assertEquals(List.of("a", "bb"), computed);
        assertEquals(3, memo.get("ccc")); // the third input: forgets the first two
        assertEquals(1, memo.get("a"));
        assertEquals(List.of("a", "bb", "ccc", "a"), computed);
    }

    private record Recording(List<String> lines) implements System.Logger {
        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            lines.add(level + " " + msgSupplier.get());
        }
    }
}
