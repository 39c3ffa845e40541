package dev.llmhub.core.router;

import dev.llmhub.core.config.RedisSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The router's shared state in one Redis, on one thread-safe, multiplexed Lettuce connection. Far from
 * its limits a deployment costs requests no round trip: one background thread settles every deployment
 * in use every {@value #SETTLE_MILLIS} ms ({@code settle.lua}, one script per model group, pipelined),
 * reporting what this replica admitted and refreshing what all replicas counted, the cooldowns and this
 * replica's lease of request slots ({@link SharedView}). Near a limit, before the first settle and
 * after a failure, a pick is one {@code EVALSHA} of {@code pick.lua}, bounded by the command timeout.
 * <p>
 * An idle replica settles rarely: after {@value #QUIET_SETTLES} settle intervals without a pick or tokens,
 * the thread waits up to {@link #IDLE_SETTLE} (still keeping its views fresh and its leases alive, so the next pick is
 * decided in memory), or without a deadline while no deployment is in use; the next pick wakes it.
 * <p>
 * A circuit breaker keeps a dead Redis from costing requests anything: the first command that fails or
 * times out (a pick's or a settle's) drops the connection and says so once (WARN); from then on every
 * check answers "count locally" at once without touching the network, while one background thread tries
 * to connect again every second and says so (INFO) when it succeeds. Lettuce's own reconnection is off,
 * so that this class alone decides and reports.
 */
final class RedisLimits implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisLimits.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /**
     * How often views are settled while picks come: the bound on how late a busy replica sees another's
     * cooldown or tokens ({@link #IDLE_SETTLE} for an idle one).
     */
    static final long SETTLE_MILLIS = 5;
    /**
     * A lease's lifetime in Redis, should its replica die or lose Redis: then its slots go back to the
     * others this long after its last settle. Views stop using a settle after half of it.
     */
    static final Duration LEASE_TTL = Duration.ofSeconds(2);
    /**
     * The least a settle may take before Redis counts as down: no request waits for a settle (picks go on
     * with their leases), so a CPU-starved box or a slow network should not flip the replica to counting
     * alone at every {@code redis_timeout}-long stall; still well within a lease's freshness.
     */
    private static final Duration SETTLE_TIMEOUT = Duration.ofMillis(500);
    /** Settle intervals without a pick after which a replica counts as idle (100 ms: short gaps in traffic are not idleness). */
    private static final int QUIET_SETTLES = 20;
    /** How often a replica settles while no pick comes: well within a view's freshness (half a lease's life). */
    private static final Duration IDLE_SETTLE = Duration.ofMillis(200);
    /** A deployment no pick used for this long is no longer settled. */
    private static final Duration IDLE = Duration.ofMinutes(2);

    static {
        // Netty and Reactor (under Lettuce) would probe for SLF4J and print its "no providers" warning: JUL directly
        io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
                io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
        reactor.util.Loggers.useJdkLoggers();
    }

    private static final Script PICK = Script.load("pick.lua");
    private static final Script FAIL = Script.load("fail.lua");
    private static final Script SETTLE = Script.load("settle.lua");

    /** A Lua script and its SHA-1, under which Redis caches it. */
    private record Script(String text, String sha) {
        static Script load(String name) {
            try (InputStream in = RedisLimits.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + name);
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                byte[] sha = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return new Script(text, HexFormat.of().formatHex(sha));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-1", e);
            }
        }
    }

    /**
     * What one pick found.
     *
     * @param chosen     index in the candidates of the deployment that got a slot, or -1
     * @param waitMillis when none did: how long until the first slot frees
     * @param allCooling when none did: whether every candidate is cooling down
     */
    record PickReply(int chosen, long waitMillis, boolean allCooling) {
    }

    private final RedisSettings settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final AtomicReference<StatefulRedisConnection<String, String>> connection = new AtomicReference<>();
    private final String replica = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final AtomicLong picks = new AtomicLong();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final Map<String, SharedView> views = new ConcurrentHashMap<>();
    private final AtomicLong settles = new AtomicLong();
    private final Duration leaseTtl;
    private final Thread settler;
    private final AtomicBoolean active = new AtomicBoolean(); // a view was used since the settle loop last looked
    private volatile boolean dozing;                          // the settle loop waits longer than a settle interval
    private volatile boolean closed;
    private volatile boolean connecting;
    private Thread probe;

    /**
     * Connects at once (within 2 s); when that fails, says so and keeps trying in the background.
     *
     * @param leaseTtl how long a lease outlives its replica's last settle ({@link #LEASE_TTL}; tests shorten it)
     */
    RedisLimits(RedisSettings settings, Duration leaseTtl) {
        this.settings = settings;
        this.leaseTtl = leaseTtl;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        RedisURI.Builder uri = RedisURI.Builder.redis(settings.host(), settings.port())
                .withDatabase(settings.database())
                .withSsl(settings.tls())
                .withTimeout(CONNECT_TIMEOUT) // the handshake's; commands get settings.timeout() once connected
                .withClientName("llmhub");
        settings.password().ifPresent(p -> uri.withAuthentication(settings.username().orElse("default"), p));
        this.client = RedisClient.create(resources, uri.build());
        ClientOptions.Builder options = ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.builder().timeoutSource(new Timeouts()).build())
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).tcpNoDelay(true).keepAlive(true).build());
        if (settings.tls() && settings.caCerts().isPresent()) {
            options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(settings.caCerts().get().toFile()).build());
        }
        client.setOptions(options.build());
        try {
            connection.set(connect());
            LOG.log(Level.INFO, "shared router state: counting rpm/tpm limits and cooldowns with every replica in Redis at {0}"
                    + " (namespace {1})", settings.display(), settings.namespace());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "shared router state: cannot reach Redis at {0} ({1}); this replica counts "
                    + "rpm/tpm limits and cooldowns alone until it can", settings.display(), reason(e));
            startProbe();
        }
        settler = Thread.ofPlatform().daemon().name("llmhub-redis-settle").start(this::settleLoop);
    }

    /**
     * How long a command may take: a pick or a failure {@code redis_timeout}, a settle (which no request
     * waits for) at least {@link #SETTLE_TIMEOUT}, the connection's setup (script loads, warm-up) {@link #CONNECT_TIMEOUT}.
     */
    private final class Timeouts extends TimeoutOptions.TimeoutSource {
        @Override
        public long getTimeout(RedisCommand<?, ?, ?> command) {
            if (connecting || command.getType() != CommandType.EVALSHA && command.getType() != CommandType.EVAL) {
                return CONNECT_TIMEOUT.toNanos();
            }
            String first = command.getArgs() == null ? null : command.getArgs().getFirstString();
            return SETTLE.sha().equals(first) || SETTLE.text().equals(first) ? settleTimeout() : settings.timeout().toNanos();
        }

        @Override
        public TimeUnit getTimeUnit() {
            return TimeUnit.NANOSECONDS;
        }
    }

    private long settleTimeout() {
        return Math.max(settings.timeout().toNanos(), SETTLE_TIMEOUT.toNanos());
    }

    /** @return whether checks go to Redis right now */
    boolean up() {
        return connection.get() != null;
    }

    /** @return the settings this client was built from */
    RedisSettings settings() {
        return settings;
    }

    /** @return this replica's view of a deployment's shared state, settled from now on */
    SharedView view(Deployment d) {
        SharedView v = views.get(d.sharedKey());
        return v != null ? v : views.computeIfAbsent(d.sharedKey(), k -> new SharedView(d, leaseTtl.dividedBy(2), System.nanoTime()));
    }

    /** A pick or a call's tokens used a view: wakes the settle loop when it dozes. */
    void used() {
        if (!active.get()) { // once per settle interval at most: the hot path reads one field
            active.set(true);
            if (dozing) {
                LockSupport.unpark(settler);
            }
        }
    }

    /** @return whether the settle loop waits as an idle replica's does (tests wait on it) */
    boolean dozing() {
        return dozing;
    }

    /** @return settles answered so far (tests wait on it) */
    long settles() {
        return settles.get();
    }

    /**
     * Takes a request slot on the first candidate with room, atomically across replicas: one round trip.
     *
     * @return the reply, or empty when Redis cannot answer now (count locally)
     */
    Optional<PickReply> pick(List<Deployment> candidates) {
        StatefulRedisConnection<String, String> c = connection.get();
        if (c == null) {
            return Optional.empty();
        }
        String[] keys = new String[candidates.size() * 4];
        String[] args = new String[1 + candidates.size() * 2];
        args[0] = replica + ":" + picks.incrementAndGet();
        for (int i = 0; i < candidates.size(); i++) {
            Deployment d = candidates.get(i);
            keys(d, keys, 4 * i);
            args[1 + 2 * i] = Integer.toString(d.config().rpm().orElse(-1));
            args[2 + 2 * i] = Long.toString(d.config().tpm().orElse(-1));
        }
        List<Object> reply = run(c, PICK, ScriptOutputType.MULTI, keys, args);
        if (reply == null) {
            return Optional.empty();
        }
        int chosen = ((Long) reply.get(0)).intValue() - 1;
        return Optional.of(new PickReply(chosen, (Long) reply.get(1), (Long) reply.get(2) == 1));
    }

    /** Puts a deployment's four keys (requests, tokens, cooldown, leases) into {@code keys} from {@code at}. */
    private void keys(Deployment d, String[] keys, int at) {
        String base = settings.namespace() + ":" + d.sharedKey();
        keys[at] = base + ":requests";
        keys[at + 1] = base + ":tokens";
        keys[at + 2] = base + ":cooldown";
        keys[at + 3] = base + ":leases";
    }

    /**
     * Counts one failure of a deployment in the shared state.
     *
     * @return whether it started a cooldown, or empty when Redis cannot answer now
     */
    Optional<Boolean> fail(Deployment d, int allowedFails, Duration cooldown) {
        StatefulRedisConnection<String, String> c = connection.get();
        if (c == null) {
            return Optional.empty();
        }
        String base = settings.namespace() + ":" + d.sharedKey();
        Long started = run(c, FAIL, ScriptOutputType.INTEGER, new String[] {base + ":fails", base + ":cooldown"},
                Integer.toString(allowedFails), Long.toString(cooldown.toMillis()));
        if (started == null) {
            return Optional.empty();
        }
        if (started == 1) {
            view(d).coolUntil(System.nanoTime() + cooldown.toNanos()); // this replica skips it at once, the others from their next settle
        }
        return Optional.of(started == 1);
    }

    /** Adds a finished call's tokens to the shared tpm window with the next settle. */
    void tokens(Deployment d, long tokens) {
        view(d).addTokens(tokens);
        used();
    }

    /** Every {@value #SETTLE_MILLIS} ms while picks come and the connection is up: settles every view in use. */
    private void settleLoop() {
        boolean idle = true;
        int quiet = 0; // settles in a row without a pick
        while (!closed) {
            doze(idle);
            boolean used = active.getAndSet(false);
            StatefulRedisConnection<String, String> c = connection.get();
            if (c == null || views.isEmpty()) {
                idle = true;
                continue;
            }
            long now = System.nanoTime();
            views.values().removeIf(v -> v.idle(now, IDLE));
            try {
                settle(c, now);
                settles.incrementAndGet();
            } catch (RuntimeException e) {
                down(c, e);
            }
            quiet = used ? 0 : Math.min(quiet + 1, QUIET_SETTLES);
            idle = quiet == QUIET_SETTLES;
        }
    }

    /**
     * Waits {@value #SETTLE_MILLIS} ms while picks come; once idle, until a pick comes, or at most
     * {@link #IDLE_SETTLE} (a tenth of the lease's life when shorter) while views are to be kept fresh.
     */
    private void doze(boolean idle) {
        if (!idle) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS));
            return;
        }
        dozing = true; // before reading active: a pick sets active, then reads dozing (both volatile)
        if (!active.get()) {
            if (views.isEmpty()) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, Math.min(IDLE_SETTLE.toNanos(), leaseTtl.toNanos() / 10));
            }
        }
        dozing = false;
    }

    /** One {@code settle.lua} per model group (one cluster slot each), sent together, then every answer applied. */
    private void settle(StatefulRedisConnection<String, String> c, long now) {
        Map<String, List<SharedView>> groups = new HashMap<>();
        for (SharedView v : views.values()) {
            String key = v.deployment().sharedKey();
            groups.computeIfAbsent(key.substring(0, key.indexOf('}') + 1), k -> new ArrayList<>()).add(v);
        }
        List<List<SharedView>> sent = new ArrayList<>();
        List<RedisFuture<List<Object>>> replies = new ArrayList<>();
        List<String[]> sentKeys = new ArrayList<>();
        List<String[]> sentArgs = new ArrayList<>();
        long seq = picks.incrementAndGet();
        for (List<SharedView> group : groups.values()) {
            String[] keys = new String[group.size() * 4];
            String[] args = new String[3 + group.size() * 4];
            args[0] = replica;
            args[1] = replica + ":s" + seq + ":" + sent.size();
            args[2] = Long.toString(leaseTtl.toMillis());
            for (int i = 0; i < group.size(); i++) {
                SharedView v = group.get(i);
                Deployment d = v.deployment();
                SharedView.Report r = v.send(now);
                keys(d, keys, 4 * i);
                args[3 + 4 * i] = Integer.toString(d.config().rpm().orElse(-1));
                args[4 + 4 * i] = Long.toString(r.requests());
                args[5 + 4 * i] = Long.toString(r.tokens());
                args[6 + 4 * i] = Long.toString(r.flight());
            }
            sent.add(group);
            sentKeys.add(keys);
            sentArgs.add(args);
            replies.add(c.async().evalsha(SETTLE.sha(), ScriptOutputType.MULTI, keys, args));
        }
        for (int g = 0; g < sent.size(); g++) {
            List<Object> reply = await(c, replies.get(g), sentKeys.get(g), sentArgs.get(g));
            List<SharedView> group = sent.get(g);
            long at = System.nanoTime();
            for (int i = 0; i < group.size(); i++) {
                group.get(i).settled((Long) reply.get(3 * i), (Long) reply.get(3 * i + 1), (Long) reply.get(3 * i + 2), at);
            }
        }
    }

    /**
     * A settle's answer within the longer of the command timeout and {@link #SETTLE_TIMEOUT}; sends the
     * script's text once when Redis lost it.
     */
    private List<Object> await(StatefulRedisConnection<String, String> c, RedisFuture<List<Object>> reply, String[] keys,
                               String[] args) {
        long timeout = settleTimeout();
        try {
            try {
                return reply.get(timeout, TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RedisNoScriptException) {
                    return c.async().<List<Object>>eval(SETTLE.text(), ScriptOutputType.MULTI, keys, args)
                            .get(timeout, TimeUnit.NANOSECONDS);
                }
                throw e;
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("settle timed out after " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs a script by its SHA, sending its text once when Redis lost its cache (restarted, flushed). */
    private <T> T run(StatefulRedisConnection<String, String> c, Script s, ScriptOutputType type, String[] keys,
                      String... args) {
        try {
            try {
                return c.sync().evalsha(s.sha(), type, keys, args);
            } catch (RedisNoScriptException e) {
                return c.sync().eval(s.text(), type, keys, args);
            }
        } catch (RuntimeException e) {
            down(c, e);
            return null;
        }
    }

    /** Opens the breaker: the first caller to see {@code c} fail says so and starts the probe. */
    private void down(StatefulRedisConnection<String, String> c, Throwable why) {
        if (!connection.compareAndSet(c, null)) {
            return; // another request already reported this outage, or the client is closing
        }
        c.closeAsync();
        views.values().forEach(SharedView::unsettled); // leases and counts start over with the next connection
        if (closed) {
            return;
        }
        LOG.log(Level.WARNING, "shared router state: Redis at {0} is unreachable ({1}); this replica now counts "
                + "rpm/tpm limits and cooldowns alone until it is back", settings.display(), reason(why));
        startProbe();
    }

    private synchronized void startProbe() {
        if (!closed && probing.compareAndSet(false, true)) {
            probe = Thread.ofPlatform().daemon().name("llmhub-redis-probe").start(this::probeLoop);
        }
    }

    /** Every second, until a connection works: then shared counting resumes, and it says so. */
    private void probeLoop() {
        while (!closed) {
            try {
                Thread.sleep(PROBE_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            StatefulRedisConnection<String, String> c;
            try {
                c = connect();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "shared router state: Redis at {0} still unreachable ({1})", settings.display(),
                        reason(e));
                continue;
            }
            // not probing any more before the connection is published: its first failure must start a new probe
            probing.set(false);
            if (closed || !connection.compareAndSet(null, c)) {
                c.closeAsync();
                return;
            }
            LOG.log(Level.INFO, "shared router state: Redis at {0} is reachable again; rpm/tpm limits and cooldowns"
                    + " are counted with every replica again", settings.display());
            return;
        }
    }

    /**
     * @return a connection with the scripts loaded and the command path warmed (a cold first pick must not
     *         trip the breaker) @throws RuntimeException when Redis cannot be used
     */
    private StatefulRedisConnection<String, String> connect() {
        connecting = true; // no other connection is in use meanwhile: every command gets CONNECT_TIMEOUT
        try {
            StatefulRedisConnection<String, String> c = client.connect();
            try {
                for (Script s : new Script[] {PICK, FAIL, SETTLE}) {
                    c.sync().scriptLoad(s.text());
                }
                c.sync().evalsha(PICK.sha(), ScriptOutputType.MULTI, new String[0], "warm-up");
                c.sync().evalsha(SETTLE.sha(), ScriptOutputType.MULTI, new String[0], replica, "warm-up", "0");
                return c;
            } catch (RuntimeException e) {
                c.closeAsync();
                throw e;
            }
        } finally {
            connecting = false;
        }
    }

    /** @return the innermost message, without the password should a server ever echo it */
    private String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (settings.password().isPresent()) {
            m = m.replace(settings.password().get(), "[REDACTED]");
        }
        return m;
    }

    @Override
    public void close() {
        closed = true;
        Thread p;
        synchronized (this) {
            p = probe;
        }
        if (p != null) {
            p.interrupt();
        }
        settler.interrupt();
        StatefulRedisConnection<String, String> c = connection.getAndSet(null);
        if (c != null) {
            c.close();
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
