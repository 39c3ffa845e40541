package dev.llmhub.core.router;

import java.time.Duration;

/**
 * What this replica knows of one deployment's shared state between two settles with Redis
 * ({@code settle.lua}, every few ms): the requests and tokens every replica counted at the last settle,
 * the cooldown left then, and this replica's lease — request slots Redis set aside for it, which it may
 * fill without a round trip. Picks that find a lease slot free (or no rpm, a tpm not reached and no
 * cooldown) are decided here, in memory; the others ({@link Decision#ASK}) go to Redis ({@code pick.lua}).
 * <p>
 * Every request admitted here is either reported by a settle or covered by the lease Redis holds for
 * this replica, which {@code pick.lua} counts as taken: counting stays exact across replicas. While a
 * settle is in flight (or hangs), picks here may use what is left of the old lease (at least half of it,
 * at least what the last interval asked for), and the settle keeps at least that leased. Synchronized: held for a few field updates.
 */
final class SharedView {
    /** How a pick went here. */
    enum Decision {
        /** a slot was taken here */
        TAKEN,
        /** cooling down (for {@link #coolingNanos}) */
        COOLING,
        /** cannot be decided here: ask Redis */
        ASK
    }

    /** What one settle reports. */
    record Report(long requests, long tokens, long flight) {
    }

    private final long freshNanos;
    private volatile Deployment deployment;
    private long admitted;      // requests taken here, ever
    private long reported;      // of which sent to Redis by a settle
    private long leaseEnd;      // admitted may grow up to this without asking
    private long base;          // admitted when the last settle was sent: its lease counts from there
    private long asked;         // picks since the last settle was sent: what may be admitted while the next is in flight
    private long pendingTokens; // tokens counted here since the last settle was sent
    private long sendingTokens; // tokens of the settle in flight
    private long sharedTokens;
    private long coolUntil;
    private boolean settled;    // a settle answered since this view exists or Redis came back
    private long settledAt;     // when the settle that answered last was sent
    private long sentAt;
    private long lastUsed;

    /**
     * @param deployment the deployment (the latest of a reload that kept its shared key)
     * @param fresh      how long a settle's answer may be used: less than the lease's lifetime in Redis
     * @param now        {@link System#nanoTime()}
     */
    SharedView(Deployment deployment, Duration fresh, long now) {
        this.deployment = deployment;
        this.freshNanos = fresh.toNanos();
        this.lastUsed = now;
    }

    Deployment deployment() {
        return deployment;
    }

    /**
     * Takes a request slot when this replica may decide alone.
     *
     * @param d   the deployment as the router knows it now
     * @param now {@link System#nanoTime()}
     */
    synchronized Decision tryTake(Deployment d, long now) {
        deployment = d;
        lastUsed = now;
        if (!settled || now - settledAt > freshNanos) {
            asked++;
            return Decision.ASK;
        }
        if (coolUntil - now > 0) {
            return Decision.COOLING;
        }
        asked++;
        if (d.config().tpm().isPresent() && sharedTokens + sendingTokens + pendingTokens >= d.config().tpm().getAsLong()) {
            return Decision.ASK; // Redis knows when the window frees
        }
        if (d.config().rpm().isPresent()) {
            if (admitted >= leaseEnd) {
                return Decision.ASK;
            }
            admitted++;
        }
        return Decision.TAKEN;
    }

    /** @param now {@link System#nanoTime()} @return nanoseconds of cooldown left as of the last settle */
    synchronized long coolingNanos(long now) {
        return Math.max(0, coolUntil - now);
    }

    synchronized void addTokens(long tokens) {
        pendingTokens += tokens;
    }

    /** A failure here started a shared cooldown: skip the deployment until {@code until} without waiting for a settle. */
    synchronized void coolUntil(long until) {
        coolUntil = until;
    }

    /**
     * Starts a settle: what to report, and what may be admitted until its answer.
     *
     * @param now {@link System#nanoTime()}
     */
    synchronized Report send(long now) {
        long left = Math.max(0, leaseEnd - admitted);
        long flight = Math.min(left, Math.max(asked, left / 2)); // an unused lease halves each settle: idle replicas let go
        Report r = new Report(admitted - reported, pendingTokens, flight);
        reported = admitted;
        base = admitted;
        leaseEnd = admitted + flight;
        sendingTokens = pendingTokens;
        pendingTokens = 0;
        asked = 0;
        sentAt = now;
        return r;
    }

    /**
     * The settle sent last answered.
     *
     * @param tokens  tokens every replica counted in the window, this settle's included
     * @param coolMs  cooldown left
     * @param lease   request slots Redis set aside for this replica from the send on (at least its flight)
     * @param now     {@link System#nanoTime()}
     */
    synchronized void settled(long tokens, long coolMs, long lease, long now) {
        sharedTokens = tokens;
        sendingTokens = 0;
        coolUntil = coolMs > 0 ? now + Duration.ofMillis(coolMs).toNanos() : 0;
        leaseEnd = base + lease;
        settledAt = sentAt;
        settled = true;
    }

    /** The settle failed (Redis went away): ask Redis (or count alone) until a settle answers again. */
    synchronized void unsettled() {
        leaseEnd = admitted;
        reported = admitted; // what was not reported is lost with the connection; this replica's own window has it
        pendingTokens += sendingTokens;
        sendingTokens = 0;
        settled = false;
    }

    /** @return whether no pick used this for {@code idle} and nothing is left to report */
    synchronized boolean idle(long now, Duration idle) {
        return now - lastUsed > idle.toNanos() && admitted == reported && pendingTokens == 0;
    }
}
