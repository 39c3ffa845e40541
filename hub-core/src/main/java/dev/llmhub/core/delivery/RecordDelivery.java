package dev.llmhub.core.delivery;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one call's record stands in one lane: the console's answer to "did this call reach that
 * destination, and if not, why?".
 *
 * @param lane      the destination or handler name
 * @param kind      what the lane feeds
 * @param state     where the record stands
 * @param time      when it was delivered or given up ({@link State#DELIVERED}, {@link State#FAILED}), or
 *                  when the retries began ({@link State#RETRYING}); absent when not known
 * @param reason    why: the failure, the last retry's error, why it was not sent, or what a pending record
 *                  waits for; absent for a plain delivery
 * @param laneState the lane's state now ({@link LaneStatus#state()})
 * @param lagRecords records the lane has not delivered yet
 * @param lagSeconds age of the oldest of them
 */
public record RecordDelivery(String lane, LaneKind kind, State state, Optional<Instant> time, Optional<String> reason,
                             String laneState, long lagRecords, double lagSeconds) {
    public RecordDelivery {
        Objects.requireNonNull(lane, "lane is null");
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(time, "time is null");
        Objects.requireNonNull(reason, "reason is null");
        Objects.requireNonNull(laneState, "laneState is null");
    }

    /** Where a record stands in a lane. */
    public enum State {
        /** the destination acknowledged it (or the handler's hook returned) */
        DELIVERED,
        /** in the journal under the lane's cursor, not delivered yet */
        PENDING,
        /** its batch failed and will be tried again */
        RETRYING,
        /** given up: rejected permanently, retries exhausted ({@code max_retry_elapsed}), or a hook that failed */
        FAILED,
        /** never meant for this lane: it takes only successes (or failures), or was added after the call */
        NOT_SENT;

        /** @return the lower-case name used in JSON, e.g. {@code not_sent} */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param s a wire name
         * @return the state, when it is one
         */
        public static Optional<State> fromWire(String s) {
            for (State v : values()) {
                if (v.wireName().equals(s)) {
                    return Optional.of(v);
                }
            }
            return Optional.empty();
        }
    }
}
