package dev.llmhub.core.delivery;

/**
 * What a lane receives, from where its name appears in the config: {@code callbacks} → everything
 * (records of both outcomes, and for handlers the pre-call, post-call and stream events);
 * {@code success_callback} → successful records; {@code failure_callback} → failed records.
 *
 * @param success successful records
 * @param failure failed records
 * @param events  pre-call, post-call and stream events (callback handlers only)
 */
public record Subscription(boolean success, boolean failure, boolean events) {
    /** @param other another place the same name appears @return both together */
    public Subscription or(Subscription other) {
        return new Subscription(success || other.success, failure || other.failure, events || other.events);
    }

    /** @return {@code all}, {@code success} or {@code failure}, for the admin API */
    public String describe() {
        return success && failure ? "all" : success ? "success" : "failure";
    }
}
