package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client threads that send chat completions back to back until told to stop (or until a count or a
 * deadline is reached, so a stuck test cannot run forever), keeping every response id and every
 * failure.
 */
final class ChatTraffic implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<String> responseIds = ConcurrentHashMap.newKeySet();
    private final Set<String> callIds = ConcurrentHashMap.newKeySet();
    private final List<String> failures = new ArrayList<>();
    private final List<String> transportRetries = new ArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * Starts the threads.
     *
     * @param url       proxy base URL
     * @param key       the key to send as {@code Authorization: Bearer}
     * @param model     the model to call
     * @param threads   concurrent clients
     * @param maxCalls  calls at most, all threads together
     * @param maxTime   time at most
     */
    ChatTraffic(String url, String key, String model, int threads, int maxCalls, Duration maxTime) {
        Instant deadline = Instant.now().plus(maxTime);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            this.threads.add(Thread.ofPlatform().name("traffic-" + t).start(() -> {
                int n = 0;
                while (!stop.get() && Instant.now().isBefore(deadline) && sent.incrementAndGet() <= maxCalls) {
                    String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"call "
                            + thread + "-" + (n++) + "\"}]}";
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + key)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    try {
                        HttpResponse<String> r = send(request);
                        JsonNode id = r.statusCode() == 200 ? JSON.readTree(r.body()).path("id") : null;
                        if (id != null && id.isTextual()) {
                            responseIds.add(id.asText());
                            r.headers().firstValue("x-llmhub-call-id").ifPresent(callIds::add);
                        } else {
                            failed(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failed(e.toString());
                    }
                }
            }));
        }
    }

    /**
     * Sends once more, as the OpenAI SDKs do, when the connection closed before any byte of an answer
     * came (a keep-alive connection closed as it was reused). Each such retry is printed and kept in
     * {@link #transportRetries()}: a retried call is no failed call, but it is not hidden either.
     */
    private HttpResponse<String> send(HttpRequest request) throws Exception {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            if (e instanceof java.net.http.HttpTimeoutException || e.getMessage() == null
                    || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            String why = java.time.LocalTime.now() + " " + e;
            synchronized (transportRetries) {
                transportRetries.add(why);
            }
            System.out.println("traffic: retried once, the connection closed before an answer: " + why);
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** @return the calls sent a second time because their connection closed before any answer */
    List<String> transportRetries() {
        synchronized (transportRetries) {
            return List.copyOf(transportRetries);
        }
    }

    private void failed(String why) {
        synchronized (failures) {
            failures.add(java.time.LocalTime.now() + " " + why);
        }
    }

    /** @return calls answered 200 with an id so far */
    int succeeded() {
        return responseIds.size();
    }

    /** @return whether every thread is still sending (none reached the count or the deadline) */
    boolean running() {
        return threads.stream().allMatch(Thread::isAlive);
    }

    /** Waits until {@code more} further calls were answered; fails the test when the clients stopped first. */
    void awaitMore(ProxyProcess proxy, int more, Duration wait) {
        int base = succeeded();
        proxy.await(more + " more answered calls", wait, () -> succeeded() >= base + more || !running());
        assertTrue(running(), "the clients stopped early (count or time bound reached): " + failures());
    }

    /** Stops the threads and waits for their last call. */
    @Override
    public void close() {
        stop.set(true);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return the ids of the OpenAI responses the clients got (call after {@link #close()}) */
    Set<String> responseIds() {
        return Set.copyOf(responseIds);
    }

    /** @return the {@code x-llmhub-call-id} of every call answered so far (the records' ids) */
    Set<String> callIds() {
        return Set.copyOf(callIds);
    }

    /** @return every failed call: status and body, or the exception */
    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }
}
