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
}
