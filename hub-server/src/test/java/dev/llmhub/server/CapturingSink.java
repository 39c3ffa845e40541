package dev.llmhub.server;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.core.delivery.CallSink;
import dev.llmhub.core.journal.Append;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Keeps every record and event the proxy hands over, so tests can count and inspect them. */
final class CapturingSink implements CallSink {
    final List<CallRecord> records = new CopyOnWriteArrayList<>();
    final List<PreApiCall> pre = new CopyOnWriteArrayList<>();
    final List<PostApiCall> post = new CopyOnWriteArrayList<>();
    final List<StreamChunk> chunks = new CopyOnWriteArrayList<>();

    @Override
    public void preApiCall(PreApiCall event) {
        pre.add(event);
    }

    @Override
    public void postApiCall(PostApiCall event) {
        post.add(event);
    }

    @Override
    public void streamChunk(StreamChunk chunk) {
        chunks.add(chunk);
    }

    @Override
    public synchronized Append publish(CallRecord record) {
        records.add(record);
        notifyAll();
        return CallSink.noop().publish(record);
    }

    /** Records whose call id matches, waiting (up to 10 s) until at least one exists. */
    synchronized List<CallRecord> awaitRecords(Predicate<CallRecord> match) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<CallRecord> found = new ArrayList<>(records.stream().filter(match).toList());
            if (!found.isEmpty()) {
                return found;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return found;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    List<CallRecord> byUser(String user) {
        return records.stream().filter(r -> r.user().orElse("").equals(user)).toList();
    }
}
