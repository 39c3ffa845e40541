package dev.llmhub.server;

import dev.llmhub.api.ProxyInfo;
import dev.llmhub.core.config.ConfigException;
import dev.llmhub.core.config.DeploymentConfig;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.config.JournalSettings;
import dev.llmhub.core.hub.DataDirectory;
import dev.llmhub.core.hub.Hub;
import dev.llmhub.core.gateway.ApiError;
import dev.llmhub.core.gateway.ApiException;
import dev.llmhub.core.gateway.Gateway;
import dev.llmhub.server.admin.AdminService;
import dev.llmhub.server.console.ConsoleService;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The {@code llmhub} command: parses the CLI, loads the config, starts the delivery runtime and the
 * Helidon WebServer, prints where it listens. {@link #routing} registers every route and is what
 * tests reuse (Helidon quickstart shape).
 */
public final class Main {
    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
        // status 0 with a running server: its threads keep the JVM alive
    }

    /**
     * Runs the command.
     *
     * @return the exit status: 0 when done or serving, 1 runtime failure, 2 bad arguments or config
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (CliOptions.UsageException e) {
            err.println("llmhub: " + e.getMessage() + " (see llmhub --help)");
            return 2;
        }
        if (options.help()) {
            out.print(CliOptions.USAGE);
            return 0;
        }
        Logging.configure(options.debug(), options.detailedDebug());
        if (options.test()) {
            return TestCommand.run(options, out, err);
        }
        if (options.config().isEmpty()) {
            err.println("llmhub: --config FILE is required (try: llmhub --config examples/quickstart.yaml; see llmhub --help)");
            return 2;
        }
        try {
            Running running = start(options);
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "llmhub-shutdown"));
            Signals.install(running);
            out.print(banner(running, options));
            out.flush();
            return 0;
        } catch (ConfigException e) {
            err.println("llmhub: config error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("llmhub: cannot start: " + describe(e));
            LOG.log(System.Logger.Level.DEBUG, "start failure", e);
            return 1;
        }
    }

    /**
     * Starts everything the CLI describes.
     *
     * @throws ConfigException when the config or a destination's settings are wrong
     */
    static Running start(CliOptions options) {
        // Helidon's service registry, mappers and path matchers initialise on first use, about a third
        // of the main thread's start: on a thread of their own while the hub starts.
        Thread.ofPlatform().daemon().name("llmhub-start-helidon").start(Main::initialiseHelidon);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // the JVM's own health beside the proxy's: heap, GC, threads, CPU, class loading (plugin unloads)
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        ProxyInfo proxy = proxyInfo();
        Optional<Path> home = Optional.ofNullable(System.getProperty("llmhub.home")).map(Path::of);
        Hub hub = Hub.start(new Hub.Options(options.config().orElseThrow(), options.pluginsDir(), options.dataDir(),
                home, System.getenv()), registry, proxy);
        try {
            WebServer server = WebServer.builder()
                    .host(options.host())
                    .port(options.port())
                    .directHandlers(JsonDirectHandler.all())
                    .routing(r -> routing(r, hub.gateway(), registry, hub))
                    .build()
                    .start();
            hub.watchConfig();
            hub.gateway().warmUpTokenizer();
            return new Running(server, hub);
        } catch (RuntimeException e) {
            hub.close();
            throw e;
        }
    }

    private static void initialiseHelidon() {
        try {
            HttpRouting.builder().build();
        } catch (RuntimeException | LinkageError e) {
            // the server's own start does it again and reports what is wrong
        }
    }

    /**
     * Registers every route: the OpenAI API, Anthropic's Messages and OpenAI's Responses API (each
     * with and without {@code /v1}), health, metrics, the call-id and master-key filters, the answer (and
     * record) of every refused request, OpenAI-shaped 404/500 answers.
     *
     * @param routing  the builder
     * @param gateway  the request flow
     * @param registry the one metrics registry ({@code /metrics} scrapes it)
     * @param hub      the running proxy, for the admin API; null in tests that have none
     */
    public static void routing(HttpRouting.Builder routing, Gateway gateway, PrometheusMeterRegistry registry, Hub hub) {
        Supplier<Optional<String>> masterKey = () -> gateway.config().general().masterKey();
        ClientCalls clientCalls = new ClientCalls(masterKey);
        CallResponder calls = new CallResponder(gateway, clientCalls);
        routing.addFilter(new CallIdFilter())
                .addFilter(new AuthFilter(masterKey))
                .register("/health", new HealthService(version()))
                .register("/metrics", new MetricsService(registry))
                .register(new OpenAiService(gateway, calls))
                .register(SingleRouteService.anthropicMessages(calls))
                .register(SingleRouteService.openAiResponses(calls));
        // Before the catch-all 404; AuthFilter guards /admin/* with the master key.
        if (hub != null) {
            routing.register("/admin", new AdminService(hub));
            routing.register("/ui", new ConsoleService(hub));
        }
        routing.any((req, res) -> {
                    throw new ApiException(ApiError.of(404, "no route for " + req.prologue().method().text() + " "
                            + req.path().path() + "; see /v1/chat/completions, /v1/completions, /v1/embeddings,"
                            + " /v1/messages, /v1/responses, /v1/models", "not_found"));
                })
                // every refusal, from a filter or a route: answered in the route's shape, and recorded
                .error(ApiException.class, new Rejections(gateway, clientCalls))
                .error(Exception.class, (req, res, e) -> {
                    LOG.log(System.Logger.Level.ERROR, "unhandled error on " + req.path().path(), e);
                    ErrorResponses.send(res, ApiError.of(500, "internal error in llmhub", "internal_error"));
                });
    }

    /** @return this proxy's identity for records */
    static ProxyInfo proxyInfo() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "llmhub";
            }
        }
        return new ProxyInfo(host, version());
    }

    /** @return the jar's Implementation-Version, or {@code dev} when run from classes */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static String banner(Running running, CliOptions options) {
        HubConfig config = running.hub().config();
        String shownHost = options.host();
        StringBuilder sb = new StringBuilder();
        sb.append("llmhub ").append(version()).append(" listening on http://").append(shownHost).append(':')
                .append(running.port()).append('\n');
        sb.append("  config:       ").append(config.source()).append('\n');
        List<String> models = config.modelNames().stream().map(name -> name + " -> " + config.deployments().stream()
                .filter(d -> d.modelName().equals(name)).map(Main::describe).collect(Collectors.joining(", ")))
                .toList();
        sb.append("  models:       ").append(models.isEmpty() ? "(none)" : String.join("\n                ", models)).append('\n');
        List<String> destinations = running.hub().delivery().names();
        sb.append("  destinations: ").append(destinations.isEmpty() ? "(none)" : destinations.stream()
                .map(d -> whereTo(d, config)).collect(Collectors.joining(", "))).append('\n');
        sb.append("  plugins dir:  ").append(options.pluginsDir().toAbsolutePath().normalize()).append('\n');
        DataDirectory data = running.hub().dataDir();
        JournalSettings js = config.general().journal();
        if (js.kafka().isPresent()) {
            sb.append("  journal:      kafka topic ").append(js.kafka().get().topic()).append(" at ")
                    .append(String.join(",", js.kafka().get().bootstrapServers())).append(" (durability ")
                    .append(js.durability().wireName()).append(")\n");
        } else {
            sb.append("  data dir:     ").append(data.path()).append(" (").append(data.source()).append("; durability ")
                    .append(js.durability().wireName()).append(")\n");
        }
        if (config.general().masterKey().isEmpty()) {
            sb.append("  auth:         OPEN - no general_settings.master_key, anyone who can reach this port can use it\n");
        } else {
            sb.append("  auth:         master key required (Authorization: Bearer <key>)\n");
        }
        sb.append("  try:          llmhub --test --url http://localhost:").append(running.port()).append('\n');
        return sb.toString();
    }

    /** A destination's name and, when it writes a local file (its {@code path} setting), where: the banner says where to look. */
    private static String whereTo(String destination, HubConfig config) {
        Object path = config.delivery().callbackSettings().getOrDefault(destination, Map.of()).get("path");
        return path == null ? destination : destination + " -> " + Path.of(path.toString()).toAbsolutePath().normalize();
    }

    private static String describe(DeploymentConfig d) {
        return d.model() + (d.provider() == dev.llmhub.core.config.ProviderKind.MOCK ? " (mock)" : "");
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** A started proxy: the WebServer and everything behind it. */
    static final class Running {
        private final WebServer server;
        private final Hub hub;
        private boolean stopped;

        Running(WebServer server, Hub hub) {
            this.server = server;
            this.hub = hub;
        }

        Hub hub() {
            return hub;
        }

        int port() {
            return server.port();
        }

        /**
         * Stops taking requests, then stops the hub (lanes say what stays in the journal). A second
         * caller (the shutdown hook after SIGTERM's handler) waits for the first one to finish.
         */
        synchronized void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            server.stop();
            hub.close();
        }
    }
}
