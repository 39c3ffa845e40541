package dev.llmhub.core.router;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every test of replicas sharing one {@code redis-server} needs around each test: an empty Redis, the
 * routers it made closed afterwards (and their connections gone, so no late settle writes into the next
 * test), and the Redis client's log lines captured. Each test class starts its own server into
 * {@link #redis} in its {@code @BeforeAll} (under {@link #dir}); it is closed after the class.
 */
abstract class RedisReplicasFixture {
    @TempDir
    static Path dir;
    @AutoClose
    static RedisServer redis;

    final List<Router> routers = new ArrayList<>();
    final RedisLimitsLog log = new RedisLimitsLog();

    @BeforeEach
    void cleanRedis() {
        redis.command("FLUSHALL");
        log.start();
    }

    @AfterEach
    void closeRouters() {
        log.stop();
        routers.forEach(Router::close);
        SharedLimitsTest.awaitTrue("every replica's connection is gone", () -> replicasConnected(redis) == 0);
    }

    /** @return connections to {@code redis} from llmhub replicas (they name themselves) */
    static long replicasConnected(RedisServer redis) {
        return ((String) redis.command("CLIENT", "LIST")).lines().filter(l -> l.contains(" name=llmhub ")).count();
    }
}
