package dev.llmhub.core.delivery;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on a condition with a deadline, instead of sleeping a guessed time. */
public final class Waits {
    private Waits() {
    }

    /**
     * @param within   the deadline
     * @param what     what is awaited, for the failure message
     * @param state    shown on failure: the observed state
     * @param condition what must become true
     */
    public static void until(Duration within, String what, Supplier<Object> state, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within.toMillis() + " ms waiting for " + what
                        + "; state: " + state.get());
            }
            LockSupport.parkNanos(2_000_000); // poll the condition, not a guessed duration
        }
    }

    /**
     * Runs the garbage collector until every reference is cleared.
     *
     * @param within     the deadline
     * @param what       what must be collected, for the failure message
     * @param references weak references to it
     */
    public static void untilCollected(Duration within, String what, java.util.List<? extends java.lang.ref.Reference<?>> references) {
        long deadline = System.nanoTime() + within.toNanos();
        while (references.stream().anyMatch(r -> r.get() != null)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " still reachable after " + within.toSeconds() + " s of garbage collection");
            }
            System.gc();
            LockSupport.parkNanos(50_000_000); // let reference processing run between collections
        }
    }
}
