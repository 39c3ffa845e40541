package dev.llmhub.core.provider;

import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.HttpClientConfig;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keep-alive HTTP/1.1 connections to one upstream origin, given to each upstream request
 * explicitly instead of through the WebClient's own connection cache.
 *
 * <p>Why: the WebClient's cache starts a virtual thread for every connection it gets back, blocked in
 * a read so that it notices when the upstream closes the idle connection; the next request on that
 * connection then waits for this thread to hand over the first byte of its answer. Under a steady
 * stream of calls a connection is idle for microseconds, and that watch cost about as much CPU as the
 * rest of a call at one client connection (docs/performance.md, "Upstream connections";
 * helidon-io/helidon#11799). Here a connection given back less than {@link #HOT} ago is reused as it
 * is. One idle for longer is handed to that same watch by a sweeper thread, which first takes it out
 * of the hot list so that no request can hold it meanwhile; a connection the upstream closed while
 * idle is so still noticed before it is reused. Only an upstream that closes idle connections within
 * {@code HOT} (keep-alive timeouts are seconds: 2 s gunicorn, 5 s Node and uvicorn, 60-75 s nginx and
 * cloud load balancers) could hand a request a connection it already closed.
 *
 * <p>Shared by every deployment with the same origin, like the WebClient's cache it replaces, and
 * bounded by its size setting ({@code connectionCacheSize}, 256 idle connections per origin).
 */
final class UpstreamConnections {
    /** How long a given-back connection is reused without being watched. */
    static final Duration HOT = Duration.ofMillis(500);
    private static final long HOT_NANOS = HOT.toNanos();
    private static final long SWEEP_MILLIS = 100;
    /** Plain HTTP: a client or connection key with it never makes a TLS context. */
    static final Tls NO_TLS = Tls.builder().enabled(false).build();
    private static final List<String> HTTP1 = List.of(Http1Client.PROTOCOL_ID);
    private static final Logger LOG = System.getLogger(UpstreamConnections.class.getName());
    private static final Map<ConnectionKey, UpstreamConnections> BY_ORIGIN = new ConcurrentHashMap<>();

    /**
     * The sweeper's thread, started by the first connection given back (the JVM initialises this class
     * once, then): not while the providers are built during the start, and never in a process that
     * calls no upstream.
     */
    private static final class Sweeper {
        private static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("llmhub-upstream-idle").factory());

        static {
            EXECUTOR.scheduleWithFixedDelay(UpstreamConnections::sweepAll, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }

        private Sweeper() {
        }

        /** Initialises this class, so starts the sweeper, the first time; nothing after. */
        static void ensureRunning() {
        }
    }

    /** A connection given back, and when. Identity equality: the sweeper removes exactly this entry. */
    private static final class Idle {
        final TcpClientConnection connection;
        final long since;

        Idle(TcpClientConnection connection, long since) {
            this.connection = connection;
            this.since = since;
        }
    }

    private final WebClient client;
    private final ConnectionKey key;
    private final int capacity;
    /** Given back within {@link #HOT}, newest first: reused without a watch. */
    private final ConcurrentLinkedDeque<Idle> hot = new ConcurrentLinkedDeque<>();
    /** Idle for longer, each watched by the WebClient's idle reader, newest first. */
    private final ConcurrentLinkedDeque<TcpClientConnection> watched = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idle = new AtomicInteger();

    private UpstreamConnections(WebClient client, ConnectionKey key, int capacity) {
        this.client = client;
        this.key = key;
        this.capacity = capacity;
    }

    /**
     * @param client the deployment's client (its TLS, DNS and proxy settings make the connections)
     * @param origin scheme, host and port of the upstream
     * @return the connections to that origin, shared with every deployment that has it
     */
    static UpstreamConnections of(WebClient client, URI origin) {
        HttpClientConfig config = client.prototype();
        boolean https = "https".equalsIgnoreCase(origin.getScheme());
        int port = origin.getPort() >= 0 ? origin.getPort() : https ? 443 : 80;
        ConnectionKey key = ConnectionKey.create(https ? "https" : "http", origin.getHost(), port,
                https ? config.tls() : NO_TLS, config.dnsResolver(), config.dnsAddressLookup(), config.proxy());
        return BY_ORIGIN.computeIfAbsent(key, k -> new UpstreamConnections(client, k, config.connectionCacheSize()));
    }

    /**
     * @return an open connection for one request: the newest idle one, or a new one; the request gives it
     *     back when its answer has been read (keep-alive), or closes it
     */
    ClientConnection take() {
        long now = System.nanoTime();
        for (Idle i; (i = hot.pollFirst()) != null; ) {
            idle.decrementAndGet();
            // Unwatched for twice HOT means the sweeper fell behind: too long to trust it unwatched.
            if (now - i.since < 2 * HOT_NANOS && i.connection.isConnected()) {
                return i.connection;
            }
            i.connection.closeResource();
        }
        for (TcpClientConnection c; (c = watched.pollFirst()) != null; ) {
            idle.decrementAndGet();
            if (c.isConnected()) {
                return c;
            }
            c.closeResource();
        }
        return TcpClientConnection.create(client, key, HTTP1, this::giveBack, c -> { }).connect();
    }

    /** @return whether it was kept (false: the WebClient closes it) */
    private boolean giveBack(TcpClientConnection c) {
        if (!c.isConnected() || idle.incrementAndGet() > capacity) {
            idle.decrementAndGet();
            return false;
        }
        hot.offerFirst(new Idle(c, System.nanoTime()));
        Sweeper.ensureRunning();
        return true;
    }

    /** Moves connections idle for HOT to the watched list, and closes watched ones the upstream closed. */
    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Idle> it = hot.descendingIterator(); it.hasNext(); ) {
            Idle i = it.next();
            if (now - i.since < HOT_NANOS) {
                break;
            }
            // Only one of this removal and a request's pollFirst gets the entry.
            if (hot.removeFirstOccurrence(i)) {
                i.connection.helidonSocket().idle();
                watched.offerFirst(i.connection);
            }
        }
        for (TcpClientConnection c : watched) {
            if (!c.isConnected() && watched.removeFirstOccurrence(c)) {
                idle.decrementAndGet();
                c.closeResource();
            }
        }
    }

    private static void sweepAll() {
        for (UpstreamConnections origin : BY_ORIGIN.values()) {
            try {
                origin.sweep();
            } catch (RuntimeException e) {
                // A failing sweep must not cancel the schedule; the next one tries again.
                LOG.log(Level.WARNING, "sweeping idle upstream connections failed: {0}", e.toString());
            }
        }
    }

    /** @return idle connections kept, watched or not (a bound, not exact while requests run) */
    int idle() {
        return idle.get();
    }
}
