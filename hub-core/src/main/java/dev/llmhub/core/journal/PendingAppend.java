package dev.llmhub.core.journal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One append on its way to disk: the value, its offset and time (assigned when {@code append}
 * returned), its encoding, where it was written, and a wait that the writer ends. The waiting
 * thread parks; the writer unparks exactly the threads whose entries it finished.
 */
final class PendingAppend<T> implements Append {
    private static final int PENDING = 0;
    private static final int DONE = 1;
    private static final int FAILED = 2;

    final T value;
    final GroupCommit<T> commit;
    long offset = -1;
    long timestamp;
    byte[] encoded;
    /** Where the writer put the frame; read when it is published. */
    Segment segment;
    long position;

    volatile Thread waiter;
    /** Set when the current writer hands the next write to this entry's waiting thread. */
    volatile boolean promoted;
    private volatile int state;
    private volatile JournalWriteException failure;

    PendingAppend(GroupCommit<T> commit, T value) {
        this.commit = commit;
        this.value = value;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return commit.await(this, timeout.toNanos());
    }

    @Override
    public boolean isDone() {
        return state != PENDING;
    }

    /** @return true when written; throws when failed; false while pending */
    boolean result() {
        return switch (state) {
            case DONE -> true;
            case FAILED -> throw new JournalWriteException(failure.getMessage(), failure);
            default -> false;
        };
    }

    void complete() {
        state = DONE;
        wake();
    }

    void fail(JournalWriteException e) {
        failure = e;
        state = FAILED;
        wake();
    }

    private void wake() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
