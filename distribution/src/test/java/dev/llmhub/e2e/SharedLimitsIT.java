package dev.llmhub.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.core.router.RedisServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, through two {@code bin/llmhub} processes sharing one deployment with {@code rpm: 60} in a
 * real {@code redis-server}: together they let 60 of 120 calls through and answer the rest 429 with
 * Retry-After (the first picks of each wait for Redis, later ones far from the limit take slots of
 * their leases without a round trip, near the limit they wait again); with Redis killed both keep serving on their own counts (the remaining 60 of the minute
 * between them, as each counted its share) and each says so once; with Redis back they share again.
 * The Redis password (one replica has it in {@code redis_password}, the other in {@code redis_url})
 * shows up in no log and not in {@code /admin/config}.
 */
class SharedLimitsIT {
    private static final String KEY = "sk-shared-limits-4Rt";
    private static final String REDIS_PASSWORD = "redis-pw-Zx81q";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BODY = """
            {"model": "limited", "messages": [{"role": "user", "content": "count me"}]}""";

    /** A loaded test machine can stall a command past the 100 ms default, which would (rightly) mean "count alone". */
    private static String config(String redisSettings) {
        return """
                model_list:
                  - model_name: limited
                    litellm_params:
                      model: mock/limited
                      mock_response: "One of sixty."
                      rpm: 60
                router_settings:
                  redis_timeout: 5s
                %s
                general_settings:
                  master_key: %s
                """.formatted(redisSettings, KEY);
    }

    /** Outcome counts of a burst of calls. */
    private record Burst(int ok, int limited, List<String> other) {
    }

    private static Burst burst(List<ProxyProcess> replicas, int calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                ProxyProcess p = replicas.get(i % replicas.size());
                answers.add(pool.submit(() -> p.post("/chat/completions", BODY, "Authorization", "Bearer " + KEY,
                        "Content-Type", "application/json")));
            }
            int ok = 0;
            int limited = 0;
            List<String> other = new ArrayList<>();
            for (Future<HttpResponse<String>> f : answers) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 200) {
                    ok++;
                } else if (r.statusCode() == 429) {
                    limited++;
                    long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow(
                            () -> new AssertionError("429 without Retry-After: " + r.body())));
                    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After within the minute: " + retryAfter);
                } else {
                    other.add(r.statusCode() + " " + r.body());
                }
            }
            return new Burst(ok, limited, other);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Path dir(Path work, String name) throws java.io.IOException {
        return java.nio.file.Files.createDirectories(work.resolve(name));
    }

    private static double gauge(ProxyProcess p) {
        return new PrometheusScrape(p.get("/metrics").body()).value("llmhub_router_shared_state_up");
    }

    private static double waits(ProxyProcess p) {
        return new PrometheusScrape(p.get("/metrics").body()).value("llmhub_router_shared_state_waits_total");
    }

    private static long lines(ProxyProcess p, String level, String text) {
        return p.output().lines().filter(l -> l.contains(" " + level + " ") && l.contains(text)).count();
    }

    @Test
    void twoReplicasShareOneRpmAndKeepServingWithoutRedis(@TempDir Path work) throws Exception {
        try (RedisServer redis = RedisServer.start(work.resolve("redis"), Optional.of(REDIS_PASSWORD));
             ProxyProcess a = ProxyProcess.start(dir(work, "a"),
                     config("""
                               redis_host: 127.0.0.1
                               redis_port: %d
                               redis_password: os.environ/LLMHUB_TEST_REDIS_PASSWORD
                             """.formatted(redis.port())), null, Map.of("LLMHUB_TEST_REDIS_PASSWORD", REDIS_PASSWORD));
             ProxyProcess b = ProxyProcess.start(dir(work, "b"),
                     config("""
                               redis_url: redis://:%s@127.0.0.1:%d/0
                             """.formatted(REDIS_PASSWORD, redis.port())), null, Map.of())) {
            List<ProxyProcess> both = List.of(a, b);
            for (ProxyProcess p : both) {
                p.await("shared state up", WAIT, () -> gauge(p) == 1.0);
            }

            Burst shared = burst(both, 120);
            assertEquals(List.of(), shared.other());
            assertTrue(Math.abs(shared.ok() - 60) <= 1, "60 (±1) of 120 through both replicas, got " + shared);
            assertEquals(120, shared.ok() + shared.limited());
            // exact although not every pick went to Redis: once settled, picks far from the limit took lease slots
            double waited = waits(a) + waits(b);
            assertTrue(waited >= 2 && waited < 120, "picks that waited for Redis: " + waited);

            redis.stop();
            Burst alone = burst(both, 120);
            assertEquals(List.of(), alone.other(), "no call fails because Redis is down");
            assertTrue(Math.abs(alone.ok() - 60) <= 1,
                    "each replica serves what its own count of the minute leaves: 60 (±1) between them, got " + alone);
            for (ProxyProcess p : both) {
                assertEquals(0.0, gauge(p));
                assertEquals(1, lines(p, "WARNING", "is unreachable"), "said once:\n" + p.output());
                assertTrue(new PrometheusScrape(p.get("/metrics").body())
                        .value("llmhub_router_shared_state_fallbacks_total") >= 1);
            }
            Burst more = burst(both, 40);
            assertEquals(List.of(), more.other());
            for (ProxyProcess p : both) {
                assertEquals(1, lines(p, "WARNING", "is unreachable"), "still said once:\n" + p.output());
            }

            redis.restart();
            for (ProxyProcess p : both) {
                p.await("shared state back", WAIT, () -> gauge(p) == 1.0);
                assertEquals(1, lines(p, "INFO", "is reachable again"), p.output());
            }
            Burst again = burst(both, 120);
            assertEquals(List.of(), again.other());
            assertTrue(Math.abs(again.ok() - 60) <= 1, "shared again (a fresh Redis: a fresh window), got " + again);

            String adminConfig = b.get("/admin/config", "Authorization", "Bearer " + KEY).body();
            assertTrue(adminConfig.contains("\"redis_url\":\"redis://127.0.0.1:" + redis.port() + "/0\""), adminConfig);
            assertTrue(adminConfig.contains("\"redis_password\":\"[REDACTED]\""), adminConfig);
            for (String text : List.of(adminConfig, a.output(), b.output(), redis.log())) {
                assertFalse(text.contains(REDIS_PASSWORD), "the Redis password leaked:\n" + text);
            }
        }
    }
}
