package dev.llmhub.plugin.langfuse;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Langfuse server for tests: a real HTTP server on loopback that answers the way Langfuse's does and
 * checks what it receives by the server's own rules (docs/destinations/langfuse.md cites each one in
 * langfuse/langfuse at commit 62751446).
 * <ul>
 *   <li>Every request needs {@code Authorization: Basic base64(pk:sk)} with the stand-in's secret key,
 *       else 401 (like Langfuse, a mismatched public key is tolerated). An {@code x-langfuse-sdk-name}
 *       header is a violation: Langfuse would take the sender for its own SDK.</li>
 *   <li>A body larger than {@link #limitBodyBytes} (as it arrives, compressed or not) gets 413, as a proxy
 *       in front of Langfuse answers; {@link #refusedAsTooLarge()} lists them.</li>
 *   <li>{@code POST /api/public/otel/v1/traces}: {@code Content-Encoding: gzip} is decompressed (else
 *       400); without {@code x-langfuse-ingestion-version: 4} the request is a violation (Langfuse Cloud
 *       would delay it), above 4 it gets 400; content type must contain {@code application/x-protobuf}
 *       (decoded with the official protos) or {@code application/json}, else 400; every span needs a
 *       16-byte trace id and an 8-byte span id, else 400; success is 200 {@code {}}.</li>
 *   <li>{@code POST /api/public/ingestion}: a {@code Content-Encoding} gets 400 (the endpoint reads JSON
 *       as it comes); validated against Langfuse's published {@code openapi.yml} (every violation is
 *       recorded, see {@link #violations()}); bodies over 4.5 MB get 413; the answer is 207 with
 *       {@code successes} and {@code errors}, errors scripted with {@link #failEvents}.</li>
 *   <li>{@link #server()} holds what Langfuse would store from it all: trace writes by the root/non-root
 *       rule, observations with their metadata, linked prompts and environments; breaking one of those
 *       rules (a metadata key lost to a collision, an environment Langfuse would rename) is a violation.</li>
 *   <li>{@link #answerNext} scripts request-level answers (429 with {@code Retry-After}, 503…).</li>
 * </ul>
 * Reusable by end-to-end tests through the running proxy (this module publishes a test-jar): start
 * one, run the proxy with {@code success_callback: ["langfuse"]}, {@code LANGFUSE_HOST=}{@link #url()},
 * {@code LANGFUSE_PUBLIC_KEY=}{@link #PUBLIC_KEY} and {@code LANGFUSE_SECRET_KEY=}{@link #SECRET_KEY},
 * make a call, then {@link #awaitSpans} (delivery is asynchronous) and check {@link #violations()}.
 */
public final class LangfuseStandIn implements AutoCloseable, BeforeEachCallback, AfterAllCallback {
    /** Keys the stand-in accepts. The secret is distinctive so tests can search for it anywhere. */
    public static final String PUBLIC_KEY = "pk-lf-standin-0001";
    public static final String SECRET_KEY = "sk-lf-standin-SECRET-7f3a9c";
    static final int SPEC_BATCH_LIMIT = 3_500_000;
    private static final int SERVER_BODY_LIMIT = 4_500_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Langfuse's OpenAPI, loaded on first use (seconds): OTLP-only tests never pay for it. */
    private static final class Spec {
        static final OpenApiInteractionValidator VALIDATOR = loadSpec();
    }

    /** Loads the OpenAPI validator now, so the first ingestion request is answered quickly. */
    public static void loadSpecNow() {
        Objects.requireNonNull(Spec.VALIDATOR);
    }

    /**
     * One request as received.
     *
     * @param method    HTTP method
     * @param path      path
     * @param headers   headers as sent
     * @param body      the body, decompressed when it came gzip-compressed
     * @param wireBytes the body's size as it arrived
     * @param items     spans (OTLP) or events (ingestion) in it, as far as it could be read; -1 when not
     * @param status    the status the stand-in answered
     */
    public record Received(String method, String path, Map<String, List<String>> headers, byte[] body, int wireBytes,
                           int items, int status) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A scripted request-level answer. */
    public record Scripted(int status, String retryAfter, String body) {
    }

    /** Event envelope fields (BaseEvent plus type and body). */
    private static final Set<String> ENVELOPE_FIELDS = Set.of("id", "type", "timestamp", "metadata", "body");
    /** Body fields per event type, copied from openapi.yml: TraceBody; CreateGenerationBody and its allOf chain. */
    private static final Map<String, Set<String>> BODY_FIELDS = Map.of(
            "trace-create", Set.of("id", "timestamp", "name", "userId", "input", "output", "sessionId", "release",
                    "version", "metadata", "tags", "environment", "public"),
            "generation-create", Set.of("completionStartTime", "model", "modelParameters", "usage", "usageDetails",
                    "costDetails", "promptName", "promptVersion", "endTime", "id", "traceId", "name", "startTime",
                    "metadata", "input", "output", "level", "statusMessage", "parentObservationId", "version",
                    "environment"));

    private record EventFailure(Predicate<JsonNode> matches, int status, String message) {
    }

    private final Object arrivals = new Object();
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Scripted> scripted = new ConcurrentLinkedQueue<>();
    private final List<EventFailure> eventFailures = new CopyOnWriteArrayList<>();
    private final LangfuseServerModel model = new LangfuseServerModel();
    private volatile int bodyLimit = Integer.MAX_VALUE;
    private volatile int validateOneIn = 1;
    private final java.util.concurrent.atomic.AtomicLong otlpRequests = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong otlpValidated = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong otlpSpans = new java.util.concurrent.atomic.AtomicLong();

    private LangfuseStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    /**
     * One stand-in for a whole test class, registered as its extension ({@code @RegisterExtension static final
     * LangfuseStandIn standIn = LangfuseStandIn.forTestClass();}): started now, reset before each test,
     * closed after the class.
     */
    public static LangfuseStandIn forTestClass() {
        return start();
    }

    /** {@link #forTestClass()} for ingestion-mode tests: the OpenAPI spec is loaded first ({@link #loadSpecNow()}). */
    public static LangfuseStandIn forIngestionTestClass() {
        loadSpecNow();
        return start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** @return a started stand-in on a free loopback port */
    public static LangfuseStandIn start() {
        try {
            return new LangfuseStandIn();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:40123} */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /**
     * Waits until at least {@code count} spans arrived on the OTLP endpoint.
     *
     * @param count   how many spans
     * @param timeout how long to wait at most
     * @return the spans received so far
     * @throws AssertionError when they did not arrive in time
     */
    public List<Span> awaitSpans(int count, java.time.Duration timeout) throws InterruptedException {
        awaitCondition(() -> spans.size() >= count, timeout, count + " span(s)");
        return spans();
    }

    /**
     * Waits until at least {@code count} ingestion events arrived.
     *
     * @param count   how many events
     * @param timeout how long to wait at most
     * @return the events received so far
     * @throws AssertionError when they did not arrive in time
     */
    public List<JsonNode> awaitEvents(int count, java.time.Duration timeout) throws InterruptedException {
        awaitCondition(() -> events.size() >= count, timeout, count + " event(s)");
        return events();
    }

    private void awaitCondition(java.util.function.BooleanSupplier done, java.time.Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (arrivals) {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the Langfuse stand-in did not receive " + what + " within " + timeout
                            + "; received " + received.size() + " request(s), violations " + violations);
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(arrivals, left);
            }
        }
    }

    /** @return every request received, in order */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** @return every span received on the OTLP endpoint, in order */
    public List<Span> spans() {
        return List.copyOf(spans);
    }

    /** @return every ingestion event received, in order */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** @return what did not conform to Langfuse's API (OpenAPI violations, bad OTLP, oversized batches) */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** @return what Langfuse would store from what the stand-in received */
    public LangfuseServerModel server() {
        return model;
    }

    /** @return the requests answered 413 because their body was over {@link #limitBodyBytes} */
    public List<Received> refusedAsTooLarge() {
        return received.stream().filter(r -> r.status() == 413).toList();
    }

    /**
     * Refuses bodies larger than this (as they arrive, after any compression) with 413, as a proxy in
     * front of Langfuse does; until {@link #reset()}.
     *
     * @param bytes the most bytes a body may have
     */
    public void limitBodyBytes(int bytes) {
        bodyLimit = bytes;
    }

    /**
     * For a benchmark only (tests validate everything): decodes and checks one accepted OTLP request in
     * {@code n} by every rule, and of the others only what a request as a whole must satisfy (credentials,
     * headers, gzip, content type, a well-formed protobuf), counting their spans from the wire without
     * decoding them ({@link OtlpSpans#count}); they add nothing to {@link #spans()} or {@link #server()}.
     * See {@link #otlpRequests()}, {@link #otlpValidated()}, {@link #otlpSpans()}.
     *
     * @param n 1 (the default) checks every request
     * @return this
     */
    public LangfuseStandIn validateOneIn(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
        validateOneIn = n;
        return this;
    }

    /** @return OTLP requests accepted since the stand-in started (not cleared by {@link #reset()}) */
    public long otlpRequests() {
        return otlpRequests.get();
    }

    /** @return of those, the ones decoded and checked by every rule (all of them unless {@link #validateOneIn}) */
    public long otlpValidated() {
        return otlpValidated.get();
    }

    /** @return the spans in those requests, checked or counted (not cleared by {@link #reset()}) */
    public long otlpSpans() {
        return otlpSpans.get();
    }

    /** Answers the next request with this status, before checking anything. */
    public void answerNext(int status, String retryAfter) {
        scripted.add(new Scripted(status, retryAfter, status == 207 ? "{\"successes\":[],\"errors\":[]}"
                : "{\"message\":\"scripted " + status + "\"}"));
    }

    /** Makes ingestion events matching {@code matches} fail in the 207 answer with this status. */
    public void failEvents(Predicate<JsonNode> matches, int status, String message) {
        eventFailures.add(new EventFailure(matches, status, message));
    }

    /** Forgets what was received and scripted. */
    public void reset() {
        received.clear();
        violations.clear();
        spans.clear();
        events.clear();
        scripted.clear();
        eventFailures.clear();
        model.reset();
        bodyLimit = Integer.MAX_VALUE;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            byte[] wire = in.readAllBytes();
            Exchange x = new Exchange(ex, wire);
            try {
                answer(x);
            } finally {
                received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                        Map.copyOf(ex.getRequestHeaders()), x.body, wire.length, x.items, x.status));
                synchronized (arrivals) {
                    arrivals.notifyAll();
                }
            }
        } catch (RuntimeException e) {
            violations.add("stand-in failed: " + e);
            send(ex, 500, "{\"message\":\"Internal Server Error\"}");
        }
    }

    /** One exchange while it is answered: what was read of it, and the status sent. */
    private static final class Exchange {
        final HttpExchange ex;
        byte[] body;
        int items = -1;
        int status;

        Exchange(HttpExchange ex, byte[] wire) {
            this.ex = ex;
            this.body = wire;
        }

        String header(String name) {
            return ex.getRequestHeaders().getFirst(name);
        }

        void send(int status, String body) throws IOException {
            this.status = status;
            LangfuseStandIn.send(ex, status, body);
        }
    }

    private void answer(Exchange x) throws IOException {
        Scripted s = scripted.poll();
        if (s != null) {
            if (s.retryAfter() != null) {
                x.ex.getResponseHeaders().add("Retry-After", s.retryAfter());
            }
            x.send(s.status(), s.body());
            decodeForTheRecord(x);
            return;
        }
        if (x.body.length > bodyLimit) {
            x.send(413, "<html><head><title>413 Request Entity Too Large</title></head></html>");
            decodeForTheRecord(x);
            return;
        }
        if (!x.ex.getRequestMethod().equals("POST")) {
            x.send(405, "{\"message\":\"Method not allowed\"}");
            return;
        }
        if (!authorized(x.header("Authorization"))) {
            x.send(401, "{\"error\":\"UnauthorizedError\",\"message\":\"Invalid credentials. Confirm that you've configured the correct host.\"}");
            return;
        }
        if (x.header("x-langfuse-sdk-name") != null || x.header("x_langfuse_sdk_name") != null) {
            // otelIngestionQueue.ts isLangfuseSdkTraffic: any SDK name is Langfuse SDK traffic.
            violations.add("x-langfuse-sdk-name '" + x.header("x-langfuse-sdk-name") + "' makes Langfuse treat the sender"
                    + " as its own SDK (delayed write path, SDK attribution)");
        }
        switch (x.ex.getRequestURI().getPath()) {
            case "/api/public/otel/v1/traces" -> otlp(x);
            case "/api/public/ingestion" -> ingestion(x);
            default -> x.send(404, "{\"message\":\"not found\"}");
        }
    }

    /** Reads a refused body anyway, so a test can see how many items it carried. */
    private void decodeForTheRecord(Exchange x) {
        try {
            if (x.ex.getRequestURI().getPath().endsWith("/traces")) {
                if (gzipped(x)) {
                    x.body = gunzip(x.body);
                }
                x.items = spans(ExportTraceServiceRequest.parseFrom(x.body)).size();
            } else {
                x.items = JSON.readTree(x.body).path("batch").size();
            }
        } catch (IOException | RuntimeException unreadable) {
            x.items = -1;
        }
    }

    private static boolean authorized(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon > 0 && decoded.substring(colon + 1).equals(SECRET_KEY);
    }

    private void otlp(Exchange x) throws IOException {
        if (gzipped(x)) {
            try {
                x.body = gunzip(x.body);
            } catch (IOException e) {
                x.send(400, "{\"error\":\"Failed to decompress request body\"}");
                return;
            }
        }
        String type = Objects.requireNonNullElse(x.header("Content-Type"), "").toLowerCase(java.util.Locale.ROOT);
        if (!type.contains("application/x-protobuf")) {
            if (!type.contains("application/json")) {
                x.send(400, "{\"error\":\"Invalid content type\"}");
                return;
            }
            violations.add("OTLP/JSON received: this stand-in decodes protobuf only");
            x.send(200, "{}");
            return;
        }
        String version = Objects.requireNonNullElse(x.header("x-langfuse-ingestion-version"), "");
        if (validateOneIn > 1 && otlpRequests.get() % validateOneIn != 0) {
            try {
                x.items = (int) OtlpSpans.count(x.body);
            } catch (IOException e) {
                x.send(400, "{\"error\":\"Failed to parse OTel Protobuf Trace\"}");
                return;
            }
            if (checkVersion(x, version)) {
                counted(x.items, false);
                x.send(200, "{}");
            }
            return;
        }
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(x.body);
        } catch (IOException e) {
            x.send(400, "{\"error\":\"Failed to parse OTel Protobuf Trace\"}");
            return;
        }
        List<Span> got = spans(request);
        x.items = got.size();
        for (Span span : got) {
            if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8
                    || !span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != 8) {
                x.send(400, "{\"error\":\"Invalid OTLP trace export: span(s) cannot be processed\"}");
                return;
            }
        }
        if (!checkVersion(x, version)) {
            return;
        }
        model.otlp(request.getResourceSpansList(), violations::add);
        spans.addAll(got);
        counted(got.size(), true);
        x.send(200, "{}");
    }

    /** @return false when the ingestion version was refused (400 sent); an old or missing one is a violation */
    private boolean checkVersion(Exchange x, String version) throws IOException {
        if (!version.isEmpty() && !version.matches("[0-4]")) {
            x.send(400, "{\"error\":\"Unsupported x-langfuse-ingestion-version: " + version + ". Maximum supported: 4.\"}");
            return false;
        }
        if (!version.equals("4")) {
            violations.add("OTLP request without x-langfuse-ingestion-version: 4: Langfuse Cloud delays such spans by up to"
                    + " 10 minutes (otelIngestionQueue.ts checkHeaderBasedDirectWrite)");
        }
        return true;
    }

    private void counted(long spanCount, boolean validated) {
        otlpRequests.incrementAndGet();
        otlpSpans.addAndGet(spanCount);
        if (validated) {
            otlpValidated.incrementAndGet();
        }
    }

    private void ingestion(Exchange x) throws IOException {
        if (x.header("Content-Encoding") != null) {
            violations.add("ingestion body sent with Content-Encoding '" + x.header("Content-Encoding")
                    + "': the endpoint does not decompress");
            x.send(400, "{\"message\":\"Invalid request data\"}");
            return;
        }
        byte[] body = x.body;
        if (body.length > SERVER_BODY_LIMIT) {
            violations.add("ingestion body of " + body.length + " bytes: over the server's 4.5 MB limit");
            x.send(413, "{\"message\":\"Body exceeded 4.5mb limit\"}");
            return;
        }
        if (body.length > SPEC_BATCH_LIMIT) {
            violations.add("ingestion body of " + body.length + " bytes: over the documented 3.5 MB batch limit");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        ValidationReport report = Spec.VALIDATOR.validateRequest(SimpleRequest.Builder.post("/api/public/ingestion")
                .withContentType(x.header("Content-Type"))
                .withAuthorization(x.header("Authorization"))
                .withBody(text)
                .build());
        report.getMessages().forEach(m -> violations.add("OpenAPI: " + m));
        JsonNode root = JSON.readTree(text);
        if (!root.path("batch").isArray()) {
            x.send(400, "{\"message\":\"Invalid request data\",\"errors\":[\"batch is not an array\"]}");
            return;
        }
        x.items = root.get("batch").size();
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode successes = answer.putArray("successes");
        ArrayNode errors = answer.putArray("errors");
        for (JsonNode event : root.get("batch")) {
            events.add(event);
            checkFields(event);
            model.ingestion(event, violations::add);
            EventFailure failure = eventFailures.stream().filter(f -> f.matches().test(event)).findFirst().orElse(null);
            if (failure == null) {
                successes.addObject().put("id", event.path("id").asText()).put("status", 201);
            } else {
                errors.addObject().put("id", event.path("id").asText()).put("status", failure.status())
                        .put("message", failure.message()).put("error", "scripted");
            }
        }
        String out = JSON.writeValueAsString(answer);
        ValidationReport responseReport = Spec.VALIDATOR.validateResponse("/api/public/ingestion",
                com.atlassian.oai.validator.model.Request.Method.POST,
                SimpleResponse.Builder.status(207).withContentType("application/json").withBody(out).build());
        responseReport.getMessages().forEach(m -> violations.add("stand-in's own 207 is off-spec: " + m));
        x.send(207, out);
    }

    private static boolean gzipped(Exchange x) {
        // The OTLP route decompresses when the header merely contains gzip (traces/index.ts).
        return Objects.requireNonNullElse(x.header("Content-Encoding"), "").contains("gzip");
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private static List<Span> spans(ExportTraceServiceRequest request) {
        List<Span> got = new ArrayList<>();
        request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> got.addAll(ss.getSpansList())));
        return got;
    }

    private void checkFields(JsonNode event) {
        event.fieldNames().forEachRemaining(f -> {
            if (!ENVELOPE_FIELDS.contains(f)) {
                violations.add("event field not in the spec: " + f);
            }
        });
        Set<String> known = BODY_FIELDS.get(event.path("type").asText());
        if (known == null) {
            violations.add("event type the exporter should not send: " + event.path("type").asText());
            return;
        }
        event.path("body").fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                violations.add(event.path("type").asText() + " body field not in the spec: " + f);
            }
        });
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static OpenApiInteractionValidator loadSpec() {
        try (InputStream in = LangfuseStandIn.class.getResourceAsStream("/langfuse/openapi.yml")) {
            String spec = new String(Objects.requireNonNull(in, "langfuse/openapi.yml missing").readAllBytes(),
                    StandardCharsets.UTF_8);
            // The file declares OpenAPI 3.0.1 but uses the 3.1 keyword `const` twice (in schemas that have
            // nothing to do with ingestion); the 3.0 parser refuses to load it, so those lines are dropped
            // here. The copy in test resources stays verbatim.
            String without31 = spec.lines().filter(l -> !l.strip().startsWith("const:"))
                    .reduce(new StringBuilder(), (b, l) -> b.append(l).append('\n'), StringBuilder::append).toString();
            Path copy = Files.createTempFile("langfuse-openapi", ".yml");
            Files.writeString(copy, without31);
            try {
                // The validator's default adds additionalProperties=false to every object schema, which
                // breaks the spec's allOf compositions (each part "forbids" the others' fields). OpenAPI's
                // own default is to allow them, so that check is off; unknown body fields are checked
                // separately against the spec's property lists (see bodyFields).
                OpenApiInteractionValidator validator = OpenApiInteractionValidator
                        .createForSpecificationUrl(copy.toUri().toString())
                        .withLevelResolver(LevelResolver.create()
                                .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE)
                                .build())
                        .build();
                // The first validation builds the schema tree (seconds on a busy machine): do it now, not
                // while an exporter waits for its answer.
                validator.validateRequest(SimpleRequest.Builder.post("/api/public/ingestion")
                        .withContentType("application/json").withBody("{\"batch\":[]}").build());
                return validator;
            } finally {
                Files.deleteIfExists(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
